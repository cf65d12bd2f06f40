"""ERPNext's customer portal with the plan: /invoices and /invoices/<name>.

ERPNext still decides who sees which invoice (`access`); these modules add where
each plan stands (`standing`), the two pages' contexts (`invoice_list`, `invoice_page`),
online payment through ERPNext's Payment Request (`payments`) and the page renderer
that puts our pages on ERPNext's routes (`renderer`).
"""
