# Sourced by the .ci checks that open our output like a user: installs LibreOffice
# (headless), poppler-utils and Liberation fonts with apt-get when they are missing.
need=()
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v python3 >/dev/null || need+=(python3)
fc-list 2>/dev/null | grep -qi "Liberation Serif" || need+=(fonts-liberation2)
if [ ${#need[@]} -gt 0 ]; then
    echo "== apt-get install ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null
fi
