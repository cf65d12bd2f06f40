import pytest

frappe = pytest.importorskip("frappe", reason="frappe is not importable: run pytest with the bench's python")

from tests.integration.factories import make_invoice


def test_the_app_is_installed_on_the_site():
	assert "progress_billing" in frappe.get_installed_apps()
	assert "erpnext" in frappe.get_installed_apps()
	assert frappe.db.exists("DocType", "Progress Billing Installment")


def test_a_sales_invoice_can_be_created_and_submitted():
	invoice = make_invoice(rate=1234.5, submit=True)
	assert invoice.docstatus == 1
	assert frappe.db.get_value("Sales Invoice", invoice.name, "outstanding_amount") == 1234.5
	assert frappe.db.exists("GL Entry", {"voucher_no": invoice.name, "is_cancelled": 0})
