"""Every read and write of factcheck's data.

Each user action is one short ``BEGIN IMMEDIATE`` transaction (see :func:`transaction`), so a
writer waits for another (up to the connection's busy timeout) instead of failing half-way.
Editable records carry a ``version``: an update names the version it read, and when another
write got there first nothing is overwritten; :class:`Conflict` carries the newer record.
Every change is written to ``audit_log`` in the same transaction.

The store is split by subject: :mod:`.base` (errors, transactions, snapshots, the audit log),
:mod:`.users`, :mod:`.articles`, :mod:`.claims`, :mod:`.claimants`, :mod:`.verdicts`,
:mod:`.reports`, and the modules imported below them (desk, discussion, publish ...). Every
public name is imported here, so ``from factcheck.store import x`` and ``store.x`` work for
all of them.
"""

# The shared helpers first: store/evidence.py imports them from the package itself
# (``from . import NotFound, _row ...``), so they are bound before it loads. Every other
# module imports a name from the module that holds it; new code does too.
from .base import (
    Busy,
    Conflict,
    DuplicateArticle,
    Invalid,
    NotFound,
    StoreError,
    _audit,
    _row,
    _rows,
    in_snapshot,
    now,
    refresh_fragments,
    sha256,
    snapshot,
    transaction,
)

# isort: split
from .articles import (
    VISIBLE_ARTICLE_IDS,
    count_articles,
    create_article,
    get_article,
    get_article_body,
    get_article_head,
    list_articles,
    set_article_published,
)
from .claimants import (
    CLAIMANT_COLUMNS,
    CLAIMANT_KEYS,
    CLAIMANT_KINDS,
    CLAIMANT_MAX,
    WORDING_SOURCES,
    checked_claimant,
    claimant_changes,
    claimant_columns,
    clean_claimant,
    wording_context,
)
from .claims import (
    add_claim,
    add_claim_at_passage,
    change_claim,
    claim_history,
    claims_state,
    dismissal_changes,
    edit_claim_text,
    find_passage,
    get_claim,
    list_claims,
    set_claim_dismissed,
    set_claimant,
    wording_changes,
)
from .desk import (  # noqa: E402
    SETTING_DEFAULTS,
    active_reviewers,
    assigned_user_ids,
    claims_with_verdict_by,
    clear_login_failures,
    contested_claims,
    end_sessions,
    get_final_verdict,
    get_settings,
    is_assigned,
    list_assignments,
    list_corrections,
    login_failures,
    next_claim,
    publish_article,
    record_final_verdict,
    record_login_failure,
    reviewer_queue,
    set_active,
    set_assignments,
    set_role,
    spread_assignments,
    update_settings,
    user_by_name,
    usernames,
    verdict_ratings,
)
from .discussion import (  # noqa: E402
    add_comment,
    current_verdict_sql,
    list_comments,
    notify,
    open_returns,
    open_returns_in,
    resolve_returns,
    return_verdict,
    returned_claim_ids,
    unread_count,
)
from .exports import (  # noqa: E402,F401
    ExportFilter,
    check_export_filter,
    count_export_claims,
    export_records,
    rationale_html,
)
from .imports import ImportItem, ImportSummary, import_items, read_import_file  # noqa: E402,F401
from .proposals import (  # noqa: E402,F401
    PublishedClaim,
    count_open_proposals,
    decide_proposal,
    get_proposal,
    last_decided_proposal,
    list_open_proposals,
    open_proposal,
    panel_proposals,
    propose,
    withdraw_proposal,
)
from .publish import (  # noqa: E402,F401
    claim_versions,
    latest_version,
    publish_correction,
    withdraw_claim,
)
from .published import public_article, public_claim  # noqa: E402,F401
from .reports import claim_records
from .search import match_counts, search_claims  # noqa: E402,F401
from .tokens import create_token, get_token, list_tokens, revoke_token, user_for_token  # noqa: E402
from .users import (
    ROLES,
    authenticate,
    count_users,
    create_user,
    get_user,
    hash_password,
    list_users,
    set_password,
)
from .verdicts import STANCES, get_verdict, list_verdicts, record_verdict
