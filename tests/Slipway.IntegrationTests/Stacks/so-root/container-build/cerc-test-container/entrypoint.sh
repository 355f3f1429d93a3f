#!/bin/sh
# cerc/test-container: like laconic-so's test container, it marks each data volume on first start
# ("fresh") and reports "old" when the marker survives; then it serves /www over HTTP on :80.
# GET /cgi-bin/show?PATH prints PATH's contents (file) or listing (directory), or MISSING.
# GET /cgi-bin/env prints the CERC_TEST_PARAM_* values.
for d in /data /data2; do
  if [ -f "$d/exists" ]; then
    echo "$d: filesystem is old"
  else
    echo "created by $(hostname)" > "$d/exists"
    echo "$d: filesystem is fresh"
  fi
done
echo "test container: serving on :80"
exec httpd -f -p 80 -h /www
