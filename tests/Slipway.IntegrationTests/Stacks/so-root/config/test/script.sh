#!/bin/sh
echo "script.sh from the test stack's config/test"
