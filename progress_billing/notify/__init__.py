"""Emails to the customer: reminders of installments falling due, notices when the job
moves the plan, and the draw invoice itself."""
