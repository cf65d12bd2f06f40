"""The folder tree tells what the app does: packages by purpose, small modules, one desk
bundle. These read the source only, so they run everywhere."""

from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "progress_billing"

# What may sit at the package top beside the packages: the wiring and two small shared modules.
TOP_MODULES = {"__init__.py", "hooks.py", "settings.py", "errors.py"}
PACKAGES = {
	"api",
	"billing",
	"demo",
	"engine",
	"notify",
	"overrides",
	"patches",
	"plans",
	"portal",
	"progress_billing",
	"setup",
	"templates",  # Frappe's web pages and includes
	"views",
}
MAX_LINES = 400


def test_only_the_wiring_and_small_shared_modules_sit_at_the_top():
	assert {path.name for path in APP.glob("*.py")} == TOP_MODULES
	packages = {path.name for path in APP.iterdir() if (path / "__init__.py").exists()}
	assert packages == PACKAGES


def test_no_module_is_over_400_lines():
	too_long = {
		str(path.relative_to(APP)): count
		for path in [*APP.rglob("*.py"), *APP.rglob("*.js")]
		if not {"node_modules", "dist"} & set(path.parts)
		and (count := len(path.read_text().splitlines())) > MAX_LINES
	}
	assert too_long == {}


def test_the_desk_is_one_bundle_of_small_files():
	# Our sources; `bench build` writes its output under public/dist, which git ignores.
	bundles = sorted(path.name for path in (APP / "public").rglob("*.bundle.*") if "dist" not in path.parts)
	assert bundles == ["progress_billing.bundle.js", "progress_billing.bundle.scss"]
	hooks = (APP / "hooks.py").read_text()
	assert 'app_include_js = "progress_billing.bundle.js"' in hooks
	assert "/assets/progress_billing/js" not in hooks


def test_no_module_shadows_the_standard_library():
	import sys

	names = {path.stem for path in APP.rglob("*.py")} | {
		path.name for path in APP.rglob("*") if path.is_dir()
	}
	assert names & set(sys.stdlib_module_names) == set()
