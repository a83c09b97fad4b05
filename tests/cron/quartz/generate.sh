#!/bin/sh
# Regenerate quartz_golden.json: what Quartz 2.3.2's CronExpression does with cases.txt plus a
# seeded batch of random valid expressions (see QuartzGolden.java).
#
#   tests/cron/quartz/generate.sh
#
# Needs a JDK (javac, java; 17 was used) and apt-get (Debian's libquartz2-java package holds the
# 2.3.2 jar; CronExpression needs nothing else on the classpath). The tests only read the JSON
# and never need Java. Commit the regenerated JSON together with any change to the inputs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download libquartz2-java >/dev/null
dpkg-deb -x libquartz2-java_*.deb jar
quartz="$work/jar/usr/share/java/quartz2.jar"
mkdir classes
javac -d classes -cp "$quartz" "$here/QuartzGolden.java"
# The default time zone only matters for TimeZone ids Java does not know; pin it anyway.
java -Duser.timezone=UTC -cp "$quartz:classes" QuartzGolden "$here/cases.txt" "$here/quartz_golden.json"
echo "wrote $here/quartz_golden.json"
