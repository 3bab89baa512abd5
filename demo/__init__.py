"""Demo data and the benchmark: `manage.py demo_data` and `manage.py bench`.

Not part of the product: installed only by `strategy_tracker.settings_demo`, the settings
`scripts/demo`, the tests and the benchmark run with; the production settings (`scripts/serve`)
leave it out. It sits above every app and none imports it (pyproject.toml, [tool.importlinter]).
"""
