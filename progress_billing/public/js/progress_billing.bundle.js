// The desk side of Progress Billing, on every desk page (hooks.py, app_include_js), built
// by `bench build`. One file per widget or dialog; the form scripts come last and only
// wire buttons to them, each registering its handlers once.
import "./plan_labels";
import "./workspace_route";

import "./plan/common";
import "./plan/section";
import "./plan/refund";
import "./plan/dialog_guard";
import "./plan/plan_rows";
import "./plan/plan_grid";
import "./plan/plan_cards";
import "./plan/plan_dialog";
import "./plan/accept_payment";
import "./plan/reschedule";
import "./plan/retainage";
import "./plan/draw_menu";
import "./plan/pay_applications";
import "./plan/form";
import "./plan/project_timeline";

import "./forms/sales_invoice";
import "./forms/sales_order";
import "./forms/quotation";
import "./forms/project";
