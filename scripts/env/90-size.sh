# Size step of scripts/ensure-env.sh (sourced; `need_debs` comes from there).
# `size --html`'s test opens the page in a real browser: Debian's chromium, headless, driven by playwright-core.
need_debs chromium
