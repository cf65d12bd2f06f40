"""Money moving on a plan, always through ERPNext documents: payments, refunds and the
invoices of draws."""
