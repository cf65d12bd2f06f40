"""Every string a person reads goes through the translator: `_()` in Python and Jinja,
`__()` in JavaScript. This scans the app's sources for the places user-facing text is
written (messages, labels, titles, HTML text) and fails on any left bare.

DocType, report and custom-field definitions are exempt: Frappe translates their labels
when it renders them (the translation file still covers them; see the integration test).
"""

import ast
import re
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "progress_billing"
# Meta definitions Frappe translates at render time.
META_PY = {APP / "setup" / "custom_fields.py", APP / "hooks.py"}

PY_MESSAGE_CALLS = {"throw", "msgprint", "PlanError", "OverpaymentError", "ValidationError", "show_alert"}
PY_TEXT_KEYS = {"label", "title", "message", "description", "indicator_title", "kind_title", "status_title"}
JS_TEXT_KEYS = PY_TEXT_KEYS | {"primary_action_label", "placeholder"}
HTML_TEXT_ATTRS = ("title", "placeholder", "aria-label", "alt")

# Text that is not language: numbers, symbols, a lone separator.
NOT_WORDS = re.compile(r"^[\s\d.,:;·—–\-+%$€£/()|×*#&;]*$")


def is_words(text: str) -> bool:
	text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
	return bool(re.search(r"[A-Za-z]{2,}", text)) and not NOT_WORDS.match(text)


def sources(*suffixes):
	for path in sorted(APP.rglob("*")):
		if path.suffix in suffixes and "node_modules" not in path.parts and "dist" not in path.parts:
			yield path


# Python


def bare_python_strings(path: Path) -> list[str]:
	tree = ast.parse(path.read_text(), filename=str(path))
	found = []

	def bare(node) -> bool:
		return isinstance(node, ast.Constant) and isinstance(node.value, str) and is_words(node.value)

	def bare_or_fstring(node) -> bool:
		return bare(node) or (
			isinstance(node, ast.JoinedStr)
			and any(bare(part) for part in node.values if isinstance(part, ast.Constant))
		)

	for node in ast.walk(tree):
		if isinstance(node, ast.Call):
			name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
			if name in PY_MESSAGE_CALLS and node.args and bare_or_fstring(node.args[0]):
				found.append(f"{path.name}:{node.lineno} {name}({ast.unparse(node.args[0])})")
			if name == "_" and node.args and isinstance(node.args[0], ast.JoinedStr):
				found.append(f"{path.name}:{node.lineno} f-string inside _()")
			for keyword in node.keywords:
				if keyword.arg in {"title", "message"} and bare_or_fstring(keyword.value):
					found.append(f"{path.name}:{node.lineno} {keyword.arg}={ast.unparse(keyword.value)}")
		if isinstance(node, ast.Dict) and path not in META_PY:
			for key, value in zip(node.keys, node.values, strict=True):
				if isinstance(key, ast.Constant) and key.value in PY_TEXT_KEYS and bare_or_fstring(value):
					found.append(f"{path.name}:{node.lineno} {key.value!r}: {ast.unparse(value)}")
	return found


# JavaScript


def template_literals(code: str) -> list[tuple[int, str]]:
	"""The literal text of every template string (what lies outside its `${...}`), with
	its line, found by a small scanner that knows strings, comments and nesting."""
	found, n = [], len(code)

	def skip_string(i, quote):
		i += 1
		while i < n and code[i] != quote:
			i += 2 if code[i] == "\\" else 1
		return i + 1

	def scan_template(i):
		start, text, i = i, [], i + 1
		while i < n and code[i] != "`":
			if code[i] == "\\":
				text.append(code[i : i + 2])
				i += 2
			elif code.startswith("${", i):
				text.append(" ")
				i = scan_code(i + 2, closing="}")
			else:
				text.append(code[i])
				i += 1
		found.append((code.count("\n", 0, start) + 1, "".join(text)))
		return i + 1

	def scan_code(i, closing=None):
		depth = 0
		while i < n:
			char = code[i]
			if code.startswith("//", i):
				i = code.find("\n", i) if "\n" in code[i:] else n
			elif code.startswith("/*", i):
				i = code.index("*/", i) + 2
			elif char in "'\"":
				i = skip_string(i, char)
			elif char == "`":
				i = scan_template(i)
			elif char == "{":
				depth += 1
				i += 1
			elif char == "}":
				if closing and depth == 0:
					return i + 1
				depth -= 1
				i += 1
			else:
				i += 1
		return i

	scan_code(0)
	return found


def bare_html_text(fragment: str) -> list[str]:
	"""Words between tags, and in the attributes people read, in an HTML fragment whose
	interpolations and template tags were blanked out."""
	found = [text.strip() for text in re.findall(r">([^<>]+)<", f">{fragment}<") if is_words(text)]
	for attr in HTML_TEXT_ATTRS:
		found += [value for value in re.findall(rf'\s{attr}="([^"]*)"', fragment) if is_words(value)]
	return found


def bare_js_strings(path: Path) -> list[str]:
	code = path.read_text()
	found = []
	keys = "|".join(sorted(JS_TEXT_KEYS))
	for match in re.finditer(rf"\b({keys})\s*:\s*(['\"`])([^'\"`]*)\2", code):
		if is_words(match.group(3)):
			found.append(f"{path.name}:{code.count(chr(10), 0, match.start()) + 1} {match.group(0)}")
	for match in re.finditer(
		r"\b(msgprint|throw|show_alert|confirm|set_title)\(\s*(['\"`])([^'\"`]*)\2", code
	):
		if is_words(match.group(3)):
			found.append(f"{path.name}:{code.count(chr(10), 0, match.start()) + 1} {match.group(0)}")
	for line, text in template_literals(code):
		found += [f"{path.name}:{line} {words!r}" for words in bare_html_text(text) if "<" in text]
	return found


# Jinja templates


def bare_template_strings(path: Path) -> list[str]:
	text = path.read_text()
	if path.suffix == ".js":
		return bare_js_strings(path)
	blanked = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", text, flags=re.S)
	blanked = re.sub(r"<(script|style)\b.*?</\1>", " ", blanked, flags=re.S)
	blanked = re.sub(r"<!--.*?-->", " ", blanked, flags=re.S)
	return [f"{path.name} {words!r}" for words in bare_html_text(blanked)]


def test_python_messages_labels_and_titles_are_wrapped():
	found = [hit for path in sources(".py") for hit in bare_python_strings(path)]
	assert found == []


def test_javascript_labels_messages_and_html_are_wrapped():
	found = [hit for path in sources(".js") for hit in bare_js_strings(path)]
	assert found == []


DESK_BUNDLE = APP / "public" / "js" / "progress_billing.bundle.js"
IMPORT = re.compile(r"""^\s*import\s+(?:[^'"]*\s+from\s+)?['"](\.{1,2}/[^'"]+)['"]""", re.M)


def bundle_files(entry: Path) -> list[Path]:
	"""The bundle and every file it imports, as esbuild resolves them (`.js` added)."""
	found, queue = [], [entry]
	while queue:
		path = queue.pop(0)
		if path in found:
			continue
		found.append(path)
		for target in IMPORT.findall(path.read_text()):
			resolved = (path.parent / target).resolve()
			queue.append(resolved if resolved.suffix == ".js" else resolved.with_name(resolved.name + ".js"))
	return found


def test_the_scan_reads_every_file_of_the_desk_bundle():
	"""The desk's dialogs and form scripts live in the files the bundle imports: each of them
	exists and is among the files scanned above."""
	files = bundle_files(DESK_BUNDLE)
	assert len(files) > 10, files
	assert [path for path in files if not path.is_file()] == []
	scanned = set(sources(".js"))
	assert [path for path in files if path not in scanned] == []


def test_jinja_templates_wrap_their_text():
	templates = [path for path in sources(".html") if "templates" in path.parts or "www" in path.parts]
	assert templates, "no templates found"
	found = [hit for path in templates for hit in bare_template_strings(path)]
	assert found == []


@pytest.mark.parametrize(
	"source, expected",
	[
		('frappe.throw("Nothing to pay")', 1),
		('frappe.throw(_("Nothing to pay"))', 0),
		('{"label": "Customer", "fieldname": "customer"}', 1),
		('{"label": _("Customer")}', 0),
		('_(f"Pay {amount}")', 1),
		('frappe.msgprint(note, title="Task not found")', 1),
		('frappe.throw(_("x"), title=_("Task not found"))', 0),
	],
)
def test_the_python_scan_finds_what_it_should(tmp_path, source, expected):
	path = tmp_path / "sample.py"
	path.write_text(source)
	assert len(bare_python_strings(path)) == expected


@pytest.mark.parametrize(
	"source, expected",
	[
		('const a = { label: "Amount" };', 1),
		('const a = { label: __("Amount") };', 0),
		("const t = `<th>Paid</th><th>${__('Due')}</th>`;", 1),
		("const t = `<th>${__('Paid')}</th>`;", 0),
		("const t = `<b>${x > 1 ? `<i>${__('a')}</i>` : ''}</b>`;", 0),
		('const t = `<span title="Refunded">${v}</span>`;', 1),
		('frappe.msgprint("Saved");', 1),
		("const k = `${a}-${b}`; // not HTML", 0),
	],
)
def test_the_javascript_scan_finds_what_it_should(tmp_path, source, expected):
	path = tmp_path / "sample.js"
	path.write_text(source)
	assert len(bare_js_strings(path)) == expected


@pytest.mark.parametrize(
	"source, expected",
	[
		("<p>Pay now</p>", 1),
		('<p>{{ _("Pay now") }}</p>', 0),
		("<td>{{ row.amount }}</td><td>—</td>", 0),
		('<a title="Download">{{ _("PDF") }}</a>', 1),
	],
)
def test_the_template_scan_finds_what_it_should(tmp_path, source, expected):
	path = tmp_path / "sample.html"
	path.write_text(source)
	assert len(bare_template_strings(path)) == expected
