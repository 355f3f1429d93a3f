#!/bin/sh
p=$QUERY_STRING
if [ -f "$p" ]; then
  printf 'Content-Type: text/plain\r\n\r\n'
  cat "$p"
elif [ -d "$p" ]; then
  printf 'Content-Type: text/plain\r\n\r\n'
  ls -A "$p"
else
  printf 'Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nMISSING\n'
fi
