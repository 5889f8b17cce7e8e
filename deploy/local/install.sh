#!/usr/bin/env bash
# Install (or upgrade) the Tavolo appliance on Raspberry Pi OS / Debian bookworm as a systemd service.
#
#   sudo deploy/local/install.sh                      from a checkout whose web apps are built (make web-build)
#   sudo deploy/local/install.sh --backup-dir /media/usb/tavolo-backups
#   deploy/local/install.sh --dry-run                 print every step, change nothing
#
# Safe to run again: code, venv, unit and journal limits are replaced; /etc/tavolo/appliance.env and the data in
# /var/lib/tavolo are kept (the database is migrated at the next start).
#
# Layout: code and venv in /opt/tavolo (root-owned, read-only to the service), data in /var/lib/tavolo (user
# tavolo), settings in /etc/tavolo/appliance.env (0600, created from appliance.env.example with a generated
# SECRET_KEY and first-manager PIN), unit /etc/systemd/system/tavolo.service, logs in the journal with its size
# capped by /etc/systemd/journald.conf.d/tavolo.conf, and /usr/local/bin/tavolo to run `python -m local_backend`
# commands (backup, restore) as the service does.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: install.sh [options]
  --dry-run          print every step and change nothing
  --prefix DIR       put the files under DIR instead of / (staging, like DESTDIR) and skip every step that
                     changes the running system: apt, the user, ownership, the venv, systemctl
  --backup-dir DIR   where backups go (default /var/lib/tavolo/backups), e.g. a USB stick's mount point
  --no-web           install without the web apps (API only; copy frontends/dist to /opt/tavolo later)
  --no-start         install and enable, but do not (re)start the service now
  -h, --help         this text
EOF
}

APP_DIR=/opt/tavolo
DATA_DIR=/var/lib/tavolo
CONF_DIR=/etc/tavolo
ENV_FILE=$CONF_DIR/appliance.env
UNIT_FILE=/etc/systemd/system/tavolo.service
DROPIN_DIR=/etc/systemd/system/tavolo.service.d
JOURNALD_FILE=/etc/systemd/journald.conf.d/tavolo.conf
CLI_FILE=/usr/local/bin/tavolo
UV_CACHE=/var/cache/tavolo/uv
SERVICE_USER=tavolo
APT_PACKAGES=(python3 python3-venv sqlite3 ca-certificates tzdata)
HEALTH_WAIT_SECONDS=90

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DRY_RUN=0
PREFIX=""
BACKUP_DIR=""
WEB=1
START=1

while [ $# -gt 0 ]; do
    case "$1" in
        --dry-run) DRY_RUN=1 ;;
        --prefix)
            [ $# -ge 2 ] || { usage >&2; exit 2; }
            PREFIX=$2
            shift
            ;;
        --backup-dir)
            [ $# -ge 2 ] || { usage >&2; exit 2; }
            BACKUP_DIR=$2
            shift
            ;;
        --no-web) WEB=0 ;;
        --no-start) START=0 ;;
        -h | --help)
            usage
            exit 0
            ;;
        *)
            echo "install.sh: unknown option $1" >&2
            usage >&2
            exit 2
            ;;
    esac
    shift
done

case "$BACKUP_DIR" in
    "" | /*) ;;
    *)
        echo "install.sh: --backup-dir must be an absolute path" >&2
        exit 2
        ;;
esac
if [ -n "$PREFIX" ]; then
    PREFIX=$(realpath -m -- "$PREFIX")
    [ "$PREFIX" != / ] || PREFIX=""
fi

say() { printf '==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
    printf 'install.sh: %s\n' "$*" >&2
    exit 1
}
# A path as this run writes it (under --prefix when staging).
dest() { printf '%s%s' "$PREFIX" "$1"; }
# A step on files: shown, and done unless --dry-run.
run() {
    printf '+ %s\n' "$*"
    [ "$DRY_RUN" = 1 ] || "$@"
}
# A step that changes the running system: also skipped when staging under --prefix.
system() {
    if [ -n "$PREFIX" ]; then
        printf 'skip (--prefix): %s\n' "$*"
    else
        run "$@"
    fi
}
# A directory with its mode, owned by user:group on the real system (staging cannot chown to a user it skipped).
make_dir() {
    local path=$1 mode=$2 owner=${3:-}
    if [ -n "$owner" ] && [ -z "$PREFIX" ]; then
        run install -d -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$(dest "$path")"
    else
        run install -d -m "$mode" "$(dest "$path")"
    fi
}
# The value of NAME in an env file (the last uncommented assignment), empty if none.
env_value() {
    local file=$1 name=$2
    [ -f "$file" ] || return 0
    sed -n "s/^[[:space:]]*$name=//p" "$file" | tail -n 1
}
# Set NAME=VALUE in an env file: replaces its line (commented or not) or appends one.
set_env() {
    local file=$1 name=$2 value=$3 tmp
    tmp=$(mktemp "$file.XXXXXX")
    awk -v name="$name" -v value="$value" '
        !done && $0 ~ "^#?[[:space:]]*" name "=" { print name "=" value; done = 1; next }
        { print }
        END { if (!done) print name "=" value }
    ' "$file" >"$tmp"
    chmod 0600 "$tmp"
    mv -f "$tmp" "$file"
}
random_key() { head -c 48 /dev/urandom | base64 -w 0 | tr '+/' '-_' | tr -d '='; }
random_pin() { printf '%06d' "$(($(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % 1000000))"; }

# --- 0. Preflight ------------------------------------------------------------------------------------------------
if [ ! -f "$SRC/local_backend/__main__.py" ] || [ ! -f "$SRC/uv.lock" ]; then
    die "run me from a Tavolo checkout ($SRC is not one)"
fi
UV_VERSION=$(sed -n 's/^UV_VERSION := *//p' "$SRC/Makefile")
[ -n "$UV_VERSION" ] || die "no UV_VERSION in $SRC/Makefile"
if [ "$DRY_RUN" = 0 ] && [ -z "$PREFIX" ]; then
    [ "$(id -u)" -eq 0 ] || die "run me as root (sudo), or with --dry-run"
    command -v apt-get >/dev/null || die "this installer is for Debian / Raspberry Pi OS (no apt-get)"
    command -v systemctl >/dev/null || die "systemd is required"
fi
[ "$DRY_RUN" = 1 ] && say "dry run: nothing below is done"
[ -n "$PREFIX" ] && say "staging under $PREFIX: system steps are skipped"

# --- 1. Packages ---------------------------------------------------------------------------------------------------
say "packages: ${APT_PACKAGES[*]}"
missing=()
for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    system apt-get update
    system env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
else
    echo "all installed"
fi
if [ "$DRY_RUN" = 0 ] && [ -z "$PREFIX" ]; then
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || die "Python 3.11 or newer is required (bookworm has it)"
fi

# --- 2. The service's user and directories ------------------------------------------------------------------------
say "user $SERVICE_USER and directories"
if id -u "$SERVICE_USER" >/dev/null 2>&1; then
    echo "user $SERVICE_USER exists"
else
    system useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home --shell /usr/sbin/nologin \
        "$SERVICE_USER"
fi
if [ -z "$BACKUP_DIR" ]; then
    BACKUP_DIR=$(env_value "$(dest "$ENV_FILE")" BACKUP_DIR)
    BACKUP_DIR=${BACKUP_DIR:-$DATA_DIR/backups}
    BACKUP_DIR_GIVEN=0
else
    BACKUP_DIR_GIVEN=1
fi
make_dir "$APP_DIR" 0755
make_dir "$DATA_DIR" 0750 "$SERVICE_USER:$SERVICE_USER"
make_dir "$CONF_DIR" 0755
make_dir "$UV_CACHE" 0755
case "$BACKUP_DIR" in
    "$DATA_DIR"/*) make_dir "$BACKUP_DIR" 0750 "$SERVICE_USER:$SERVICE_USER" ;;
    *)
        # Not created here: on an unmounted stick it would land on the SD card, which the appliance reports instead.
        if [ -d "$(dest "$BACKUP_DIR")" ]; then
            if ! system chown "$SERVICE_USER:$SERVICE_USER" "$BACKUP_DIR"; then
                warn "cannot give $BACKUP_DIR to $SERVICE_USER (FAT stick?): mount it with uid=$SERVICE_USER,gid=$SERVICE_USER"
            fi
        else
            warn "$BACKUP_DIR does not exist yet: mount the USB stick (fstab with nofail, see the README), then" \
                "install -d -o $SERVICE_USER -g $SERVICE_USER $BACKUP_DIR"
        fi
        ;;
esac

# --- 3. The code ---------------------------------------------------------------------------------------------------
if [ -z "$PREFIX" ] && systemctl is-active --quiet tavolo 2>/dev/null; then
    say "stopping the running service for the upgrade"
    system systemctl stop tavolo
fi
say "code into $APP_DIR"
run rm -rf "$(dest "$APP_DIR/local_backend")" "$(dest "$APP_DIR/shared")"
printf '+ tar -C %s ... | tar -C %s -x\n' "$SRC" "$(dest "$APP_DIR")"
if [ "$DRY_RUN" = 0 ]; then
    tar -C "$SRC" --exclude=__pycache__ --exclude='*.pyc' -cf - pyproject.toml uv.lock README.md local_backend shared \
        | tar -C "$(dest "$APP_DIR")" --no-same-owner -xf -
fi
run install -m 0644 "$SRC/deploy/healthcheck.py" "$(dest "$APP_DIR/healthcheck.py")"

say "web apps"
if [ "$WEB" = 0 ]; then
    warn "--no-web: the API runs, but the browsers get no app until frontends/dist is copied to $APP_DIR/frontends/dist"
else
    if [ ! -f "$SRC/frontends/dist/waiter/index.html" ]; then
        # Vite needs Node 20+; Debian's nodejs is 18, so the apps are usually built on a PC and copied over.
        if command -v npm >/dev/null && node -e 'process.exit(+process.versions.node.split(".")[0] < 20)' 2>/dev/null; then
            run make -C "$SRC" web-build
        elif [ "$DRY_RUN" = 1 ]; then
            warn "the web apps are not built and there is no Node 20+ here: the real run would stop"
        else
            die "the web apps are not built (frontends/dist) and there is no Node 20+ here: run 'make web-build' on a \
PC and copy the checkout over, or install Node 22 (nodesource), or pass --no-web"
        fi
    fi
    run rm -rf "$(dest "$APP_DIR/frontends/dist")"
    run install -d -m 0755 "$(dest "$APP_DIR/frontends")"
    run cp -R "$SRC/frontends/dist" "$(dest "$APP_DIR/frontends/dist")"
fi

# --- 4. The venv from the lock (made where it runs: it records absolute paths) ------------------------------------
say "Python environment $APP_DIR/.venv (uv $UV_VERSION, uv.lock)"
uv=$APP_DIR/.uv/bin/uv
if [ -x "$uv" ] && [ "$("$uv" --version 2>/dev/null | cut -d' ' -f2)" = "$UV_VERSION" ]; then
    echo "uv $UV_VERSION present"
else
    system python3 -m venv --clear "$APP_DIR/.uv"
    system "$APP_DIR/.uv/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
system env UV_PROJECT_ENVIRONMENT="$APP_DIR/.venv" UV_PYTHON_DOWNLOADS=never UV_CACHE_DIR="$UV_CACHE" \
    UV_COMPILE_BYTECODE=1 "$uv" sync --frozen --no-dev --python /usr/bin/python3 --project "$APP_DIR"
# The service cannot write its code directory, so compile it now rather than on every start.
system "$APP_DIR/.venv/bin/python" -m compileall -q "$APP_DIR/local_backend" "$APP_DIR/shared"
system chown -R root:root "$APP_DIR"

# --- 5. Settings -----------------------------------------------------------------------------------------------------
say "settings $ENV_FILE"
env_path=$(dest "$ENV_FILE")
manager_pin=""
if [ -f "$env_path" ]; then
    echo "keeping the existing $ENV_FILE"
    if [ "$BACKUP_DIR_GIVEN" = 1 ]; then
        printf '+ set BACKUP_DIR=%s in %s\n' "$BACKUP_DIR" "$ENV_FILE"
        [ "$DRY_RUN" = 1 ] || set_env "$env_path" BACKUP_DIR "$BACKUP_DIR"
    fi
else
    printf '+ write %s (0600) from appliance.env.example with a generated SECRET_KEY and MANAGER_PIN\n' "$ENV_FILE"
    if [ "$DRY_RUN" = 0 ]; then
        manager_pin=$(random_pin)
        tmp=$(umask 077 && mktemp "$env_path.XXXXXX")
        cat "$SRC/deploy/local/appliance.env.example" >"$tmp"
        set_env "$tmp" SECRET_KEY "$(random_key)"
        set_env "$tmp" MANAGER_PIN "$manager_pin"
        set_env "$tmp" DATABASE_URL "sqlite:///$DATA_DIR/pos.db"
        [ "$BACKUP_DIR_GIVEN" = 0 ] || set_env "$tmp" BACKUP_DIR "$BACKUP_DIR"
        mv -f "$tmp" "$env_path"
    fi
fi
system chown root:root "$ENV_FILE"
system chmod 0600 "$ENV_FILE"

# --- 6. systemd unit, journal limits, the CLI -------------------------------------------------------------------------
say "systemd unit, journal limits, $CLI_FILE"
make_dir "$(dirname "$UNIT_FILE")" 0755
run install -m 0644 "$SRC/deploy/local/tavolo.service" "$(dest "$UNIT_FILE")"
case "$BACKUP_DIR" in
    "$DATA_DIR" | "$DATA_DIR"/*) run rm -f "$(dest "$DROPIN_DIR/backup-dir.conf")" ;;
    *)
        # ProtectSystem=strict leaves only /var/lib/tavolo writable; "-" lets the service start without the stick.
        make_dir "$DROPIN_DIR" 0755
        printf '+ write %s: ReadWritePaths=-%s\n' "$DROPIN_DIR/backup-dir.conf" "$BACKUP_DIR"
        if [ "$DRY_RUN" = 0 ]; then
            printf '# Written by install.sh --backup-dir.\n[Service]\nReadWritePaths=-%s\n' "$BACKUP_DIR" \
                >"$(dest "$DROPIN_DIR/backup-dir.conf")"
        fi
        ;;
esac
journald_changed=1
if [ -f "$(dest "$JOURNALD_FILE")" ] && cmp -s "$SRC/deploy/local/journald-tavolo.conf" "$(dest "$JOURNALD_FILE")"; then
    journald_changed=0
fi
make_dir "$(dirname "$JOURNALD_FILE")" 0755
run install -m 0644 "$SRC/deploy/local/journald-tavolo.conf" "$(dest "$JOURNALD_FILE")"
make_dir "$(dirname "$CLI_FILE")" 0755
run install -m 0755 "$SRC/deploy/local/tavolo-cli" "$(dest "$CLI_FILE")"

# --- 7. Start on boot, and now ---------------------------------------------------------------------------------------
say "service"
[ "$journald_changed" = 0 ] || system systemctl restart systemd-journald
system systemctl daemon-reload
system systemctl enable tavolo
if [ "$START" = 0 ]; then
    echo "--no-start: start it with 'systemctl start tavolo'"
else
    system systemctl restart tavolo
    if [ "$DRY_RUN" = 0 ] && [ -z "$PREFIX" ]; then
        port=$(env_value "$ENV_FILE" PORT)
        certfile=$(env_value "$ENV_FILE" SSL_CERTFILE)
        deadline=$((SECONDS + HEALTH_WAIT_SECONDS))
        until PORT=$port SSL_CERTFILE=$certfile python3 "$APP_DIR/healthcheck.py" appliance 2>/dev/null; do
            if [ "$SECONDS" -ge "$deadline" ]; then
                journalctl -u tavolo -n 40 --no-pager >&2 || true
                die "the appliance did not answer within ${HEALTH_WAIT_SECONDS} s (journalctl -u tavolo)"
            fi
            sleep 2
        done
        say "the appliance answers"
    fi
fi

address=$(hostname -I 2>/dev/null | cut -d' ' -f1 || true)
scheme=http
[ -z "$(env_value "$env_path" SSL_CERTFILE)" ] || scheme=https
port=$(env_value "$env_path" PORT)
base="$scheme://${address:-<this machine>}:${port:-8000}"
echo
say "done"
echo "  waiter app  $base/     manager  $base/manager     kitchen screens  $base/kitchen"
echo "  logs        journalctl -u tavolo -f          backups  $BACKUP_DIR"
echo "  settings    $ENV_FILE (then: systemctl restart tavolo)"
if [ -n "$manager_pin" ]; then
    echo "  first manager: $(env_value "$env_path" MANAGER_USERNAME) / PIN $manager_pin (kept in $ENV_FILE;"
    echo "  it is used once, when there are no staff yet: change it in the manager app)"
fi
