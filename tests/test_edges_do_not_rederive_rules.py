"""The edges (learner pages, admin) read the domain's answers; they keep no copy of its rules (issue 11.11).

A copy drifts: the pages once listed the refund policy's reviewable reasons and the admin the
refundable order statuses. These checks read the edges' source, so putting such a copy back fails here.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import commerce_plugin
from commerce_plugin.data import EnrollmentState, OrderStatus, RefundReason

ROOT = Path(commerce_plugin.__file__).parent
EDGE_MODULES = sorted([*(ROOT / "pages").glob("*.py"), *(ROOT / "admin").glob("*.py")])
#: The domain's own rule sets: an edge naming one re-derives an answer from it.
RULE_NAMES = {"REVIEWABLE", "REVIEWABLE_REASONS", "PAID_STATUSES", "REFUNDABLE_STATUSES", "LIVE_ENROLLMENT_STATES"}
_VALUES = {"order status": {status.value for status in OrderStatus},
           "enrollment state": {state.value for state in EnrollmentState}}


def _rule_copies(tree: ast.AST) -> list[str]:
    """Names of the domain's rule sets, and literal collections of statuses or reasons, in a module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name | ast.alias) and (getattr(node, "id", None) or node.name) in RULE_NAMES:
            found.append(f"line {node.lineno if hasattr(node, 'lineno') else '?'}: names a rule set")
        if isinstance(node, ast.Attribute) and node.attr in RULE_NAMES:
            found.append(f"line {node.lineno}: names a rule set")
        if isinstance(node, ast.Tuple | ast.List | ast.Set) and len(node.elts) >= 2:
            strings = {elt.value for elt in node.elts if isinstance(elt, ast.Constant) and isinstance(elt.value, str)}
            reasons = [elt for elt in node.elts if isinstance(elt, ast.Attribute)
                       and isinstance(elt.value, ast.Name) and elt.value.id == RefundReason.__name__]
            if len(reasons) >= 2:
                found.append(f"line {node.lineno}: a literal set of refund reasons")
            for kind, values in _VALUES.items():
                if len(strings) >= 2 and strings <= values:
                    found.append(f"line {node.lineno}: a literal set of {kind} strings {sorted(strings)}")
    return found


@pytest.mark.parametrize("module", EDGE_MODULES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_an_edge_module_keeps_no_copy_of_the_domains_rules(module):
    assert _rule_copies(ast.parse(module.read_text(), filename=str(module))) == []


@pytest.mark.parametrize("source", [
    "REVIEWABLE_REASONS = frozenset({RefundReason.WINDOW_CLOSED, RefundReason.CERTIFICATE_EARNED})",
    'REFUNDABLE_STATUSES = ("paid", "fulfilled", "refund_pending")',
    'if order.status in ("paid", "fulfilled"): pass',
    'live = state in {"enrolling", "retrying"}',
    "from commerce_plugin.refunds.policy import REVIEWABLE",
])
def test_the_check_catches_the_copies_the_edges_used_to_keep(source):
    assert _rule_copies(ast.parse(source)) != []


def test_the_domain_answers_which_statuses_a_staff_refund_starts_from():
    assert {status for status in OrderStatus if status.staff_refundable} == {
        OrderStatus.PAID, OrderStatus.FULFILLED, OrderStatus.REFUND_PENDING}
    assert {status for status in OrderStatus if status.is_paid} == {OrderStatus.PAID, OrderStatus.FULFILLED}


def test_the_enrollment_states_still_moving_keep_the_receipt_refreshing():
    assert {state for state in EnrollmentState if state.in_progress} == {
        EnrollmentState.ENROLLING, EnrollmentState.RETRYING, EnrollmentState.WAITING}
