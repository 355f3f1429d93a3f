#!/bin/sh
# "/" of the hello web service (busybox httpd runs /www/cgi-bin/index.cgi when there is no index.html).
starts=0
[ -f /data/starts.log ] && starts=$(wc -l </data/starts.log)
motd=$(cat /www/motd.txt 2>/dev/null || echo "(no motd.txt)")
printf 'Content-Type: text/html; charset=utf-8\r\n\r\n'
cat <<HTML
<!doctype html>
<html><head><title>hello - Slipway example stack</title></head>
<body>
<h1>${GREETING:-hello}</h1>
<p>host: $(hostname)</p>
<p>counter starts: <span id="starts">${starts}</span></p>
<p><a href="/motd.txt">motd.txt</a>: ${motd}</p>
</body></html>
HTML
