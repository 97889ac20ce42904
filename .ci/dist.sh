#!/usr/bin/env bash
# Builds what officers install, into dist/:
#   - a Linux package made by `fyne package` (Kordon.tar.xz: binary, icon,
#     desktop entry), from FyneApp.toml;
#   - kordon.exe for 64-bit Windows, cross-compiled with mingw-w64, checked
#     to be an x86-64 PE program that imports only DLLs Windows 10 ships.
# Debian's Wine cannot run Go 1.26 programs, so the .exe is not started here.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
version=${VERSION:-dev}
mkdir -p dist .cache/bin
ldflags="-s -w -X github.com/kordon/kordon/internal/cli.Version=$version"

# Linux package.
GOBIN=$PWD/.cache/bin "$GO" install fyne.io/tools/cmd/fyne@v1.7.4
"$GO" build -ldflags "$ldflags" -o dist/kordon ./cmd/kordon
# fyne package bumps the build number in FyneApp.toml; keep the file as committed.
cp FyneApp.toml .cache/FyneApp.toml
trap 'cp .cache/FyneApp.toml FyneApp.toml' EXIT
.cache/bin/fyne package --os linux --exe dist/kordon --name Kordon \
	--icon "$PWD/assets/icon.png" --app-id org.kordon.desktop --release
mv -f Kordon.tar.xz dist/
ls -l dist/Kordon.tar.xz

# Windows.
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
	"$GO" build -ldflags "$ldflags -H windowsgui" -o dist/kordon.exe ./cmd/kordon
file dist/kordon.exe | grep -q "PE32+ executable (GUI) x86-64" || { echo "dist/kordon.exe is not an x86-64 Windows program" >&2; exit 1; }
# DLLs that every Windows 10 installation has.
allowed="kernel32.dll user32.dll gdi32.dll opengl32.dll shell32.dll ole32.dll oleaut32.dll advapi32.dll
winmm.dll ws2_32.dll ntdll.dll imm32.dll comdlg32.dll comctl32.dll dwmapi.dll shlwapi.dll uxtheme.dll
version.dll setupapi.dll hid.dll crypt32.dll bcrypt.dll secur32.dll msvcrt.dll dinput8.dll xinput1_4.dll
powrprof.dll userenv.dll iphlpapi.dll dbghelp.dll api-ms-win-core-synch-l1-2-0.dll"
bad=0
for dll in $(x86_64-w64-mingw32-objdump -p dist/kordon.exe | awk '/DLL Name:/ {print tolower($3)}' | sort -u); do
	if echo "$allowed" | tr ' ' '\n' | grep -qx "$dll"; then
		echo "imports $dll (ships with Windows 10)"
	else
		echo "imports $dll: NOT part of Windows 10" >&2
		bad=1
	fi
done
exit $bad
