#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n'
echo "CERC_TEST_PARAM_1=${CERC_TEST_PARAM_1-<unset>}"
echo "CERC_TEST_PARAM_2=${CERC_TEST_PARAM_2-<unset>}"
echo "CERC_TEST_PARAM_3=${CERC_TEST_PARAM_3-<unset>}"
