# A throwaway S3 server for integration tests: single-node Ceph (one monitor, one memstore OSD,
# no cephx) with radosgw on loopback, all state under one temp dir, started in ~15 s.
# The recipe is ../shared/ENVIRONMENT.md's ("Object storage"). Source it after harness.sh
# (uses fail, free_port, wait_until and STARTED_PIDS, so the EXIT trap stops what it started,
# by PID).
#
#   radosgw_installed                 0 when ceph-mon, ceph-osd, radosgw, monmaptool are there
#   radosgw_start DIR                 starts mon, osd and rgw; creates a user with known keys
#                                     and the bucket "strata-test"; exports STRATA_TEST_S3_*
#   radosgw_create_bucket NAME        creates another bucket (SigV4 via the curl CLI)
#   radosgw_stop                      stops rgw, osd, mon (SIGTERM, then SIGKILL)
#   radosgw_stop_rgw / radosgw_start_rgw   only the S3 front (the data stays in the OSD): an
#                                     outage of the endpoint, as a client sees it
#
# Exported for the bucket conformance suite:
#   STRATA_TEST_S3_ENDPOINT=127.0.0.1:PORT  STRATA_TEST_S3_BUCKET=strata-test
#   STRATA_TEST_S3_ACCESS_KEY  STRATA_TEST_S3_SECRET_KEY  STRATA_TEST_S3_INSECURE=true
#   STRATA_TEST_S3_REGION=us-east-1

RADOSGW_ACCESS_KEY=STRATATESTACCESSKEY1
RADOSGW_SECRET_KEY=strataTestSecretKey0123456789abcdefghijk
RADOSGW_PIDS=()

radosgw_installed() {
  local b
  for b in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph curl; do
    command -v "$b" >/dev/null 2>&1 || return 1
  done
}

# _radosgw_bg NAME CMD...: starts CMD in the background with its log under $RADOSGW_DIR/log.
_radosgw_bg() {
  local name=$1
  shift
  "$@" >"$RADOSGW_DIR/log/$name.out" 2>&1 &
  RADOSGW_PIDS+=($!)
  STARTED_PIDS+=($!)
}

_radosgw_log_tail() {
  local f
  for f in "$RADOSGW_DIR"/log/*; do
    echo "--- $f" >&2
    tail -n 15 "$f" >&2 || true
  done
}

radosgw_start() {
  RADOSGW_DIR=$1
  mkdir -p "$RADOSGW_DIR"/{run,log,mon,osd/ceph-0}
  local mon_port rgw_port fsid conf
  mon_port=$(free_port)
  rgw_port=$(free_port)
  while [ "$rgw_port" = "$mon_port" ]; do rgw_port=$(free_port); done
  fsid=$(cat /proc/sys/kernel/random/uuid)
  conf=$RADOSGW_DIR/ceph.conf
  RADOSGW_CONF=$conf
  cat >"$conf" <<EOF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
mon initial members = a
ms bind msgr1 = false
ms bind ipv6 = false
public addr = 127.0.0.1
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon max pg per osd = 1000
osd crush chooseleaf type = 0
osd objectstore = memstore
memstore device bytes = 1073741824
run dir = $RADOSGW_DIR/run
admin socket = $RADOSGW_DIR/run/\$name.asok
log file = $RADOSGW_DIR/log/\$name.log
mon data = $RADOSGW_DIR/mon/\$cluster-\$id
osd data = $RADOSGW_DIR/osd/\$cluster-\$id
keyring = /dev/null
[client]
ms mon client mode = crc
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw data = $RADOSGW_DIR/rgw
rgw dns name = localhost
EOF
  monmaptool --create --fsid "$fsid" --add a "v2:127.0.0.1:$mon_port" "$RADOSGW_DIR/monmap" \
    >"$RADOSGW_DIR/log/monmaptool.out" 2>&1 || fail "monmaptool failed"
  ceph-mon -c "$conf" --mkfs -i a --monmap "$RADOSGW_DIR/monmap" \
    >"$RADOSGW_DIR/log/mon-mkfs.out" 2>&1 || { _radosgw_log_tail; fail "ceph-mon --mkfs failed"; }
  _radosgw_bg mon ceph-mon -c "$conf" -i a -f
  wait_until 30 timeout 5 ceph -c "$conf" --connect-timeout 5 mon stat >/dev/null 2>&1 ||
    { _radosgw_log_tail; fail "ceph-mon did not come up"; }
  local osd_uuid
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  ceph -c "$conf" osd new "$osd_uuid" 0 >/dev/null 2>&1 || { _radosgw_log_tail; fail "osd new"; }
  ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$osd_uuid" >"$RADOSGW_DIR/log/osd-mkfs.out" 2>&1 ||
    { _radosgw_log_tail; fail "ceph-osd --mkfs failed"; }
  _radosgw_bg osd ceph-osd -c "$conf" -i 0 -f
  _radosgw_osd_up() { ceph -c "$conf" osd stat 2>/dev/null | grep -q "1 up"; }
  wait_until 60 _radosgw_osd_up || { _radosgw_log_tail; fail "ceph-osd did not come up"; }
  RADOSGW_RGW_PORT=$rgw_port
  radosgw_start_rgw
  timeout 60 radosgw-admin -c "$conf" user create --uid=strata-test --display-name=strata-test \
    --access-key="$RADOSGW_ACCESS_KEY" --secret-key="$RADOSGW_SECRET_KEY" \
    >"$RADOSGW_DIR/log/user-create.out" 2>&1 || { _radosgw_log_tail; fail "user create failed"; }
  export STRATA_TEST_S3_ENDPOINT=127.0.0.1:$rgw_port
  export STRATA_TEST_S3_BUCKET=strata-test
  export STRATA_TEST_S3_ACCESS_KEY=$RADOSGW_ACCESS_KEY
  export STRATA_TEST_S3_SECRET_KEY=$RADOSGW_SECRET_KEY
  export STRATA_TEST_S3_INSECURE=true
  export STRATA_TEST_S3_REGION=us-east-1
  radosgw_create_bucket "$STRATA_TEST_S3_BUCKET"
}

radosgw_create_bucket() {
  local code
  code=$(curl -s -o "$RADOSGW_DIR/log/create-bucket-$1.out" -w '%{http_code}' -X PUT \
    --aws-sigv4 "aws:amz:us-east-1:s3" --user "$RADOSGW_ACCESS_KEY:$RADOSGW_SECRET_KEY" \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    "http://$STRATA_TEST_S3_ENDPOINT/$1")
  [ "$code" = 200 ] || fail "create bucket $1: HTTP $code: $(cat "$RADOSGW_DIR/log/create-bucket-$1.out")"
}

radosgw_start_rgw() {
  _radosgw_bg rgw radosgw -c "$RADOSGW_CONF" -n client.rgw.a -f
  RADOSGW_RGW_PID=${RADOSGW_PIDS[-1]}
  _radosgw_http() { curl -s -o /dev/null "http://127.0.0.1:$RADOSGW_RGW_PORT/"; }
  wait_until 90 _radosgw_http || { _radosgw_log_tail; fail "radosgw did not answer"; }
}

radosgw_stop_rgw() {
  stop_pid "$RADOSGW_RGW_PID" 10
  local kept=() p
  for p in "${RADOSGW_PIDS[@]}"; do [ "$p" = "$RADOSGW_RGW_PID" ] || kept+=("$p"); done
  RADOSGW_PIDS=("${kept[@]}")
}

radosgw_stop() {
  local i
  for ((i = ${#RADOSGW_PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${RADOSGW_PIDS[$i]}" 10; done
  RADOSGW_PIDS=()
}
