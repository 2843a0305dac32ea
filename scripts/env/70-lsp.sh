# Editor step of scripts/ensure-env.sh (sourced; `need_debs` comes from there).
# The language server's end-to-end test drives a real editor: Debian's neovim, headless.
need_debs neovim
