/*
 * Golden data for brickyard's Quartz cron port: what Quartz 2.3.2's CronExpression really does.
 *
 * Regenerate with ./generate.sh (it downloads the Debian quartz2 jar, compiles this file and
 * rewrites quartz_golden.json). Inputs: cases.txt (hand-picked cases, one per line:
 * "expression | timezone | after", after either local "2026-03-29T00:00:00" or with an
 * offset) and a seeded generator of random valid expressions below. For each expression the
 * jar either rejects it (its ParseException message is recorded) or we record the next FIRES
 * fire times after `after`, each fed back in as the next `after`, exactly as a scheduler does.
 * Crashes and hangs of getTimeAfter are recorded too: they are Quartz bugs we deviate from.
 */

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.TimeZone;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.quartz.CronExpression;

public final class QuartzGolden {
    static final int FIRES = 10;
    static final long SEED = 20260321L;
    static final int RANDOM_CASES = 320;
    static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");
    static final String[] ZONES = {
        "UTC", "Europe/Paris", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe",
        "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham", "Europe/London",
        "America/Los_Angeles", "Asia/Tokyo", "America/Sao_Paulo", "Asia/Kathmandu",
        "Pacific/Auckland", "America/Havana", "America/Santiago", "Asia/Beirut", "GMT+5",
        "GMT-03:30", "Europe/Moscow",
    };
    static final String[] MONTHS = {
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    record Case(String group, String expression, String timezone, String after) {}

    public static void main(String[] args) throws Exception {
        List<Case> cases = readCases(Path.of(args[0]));
        cases.addAll(randomCases(new Random(SEED)));
        ExecutorService pool = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable);
            thread.setDaemon(true); // a hung getTimeAfter must not keep the JVM alive
            return thread;
        });
        StringBuilder valid = new StringBuilder();
        StringBuilder rejected = new StringBuilder();
        for (Case c : cases) {
            CronExpression cron;
            try {
                cron = new CronExpression(c.expression());
            } catch (Exception e) {
                if (rejected.length() > 0) rejected.append(",\n");
                rejected.append("    {\"group\": ").append(json(c.group()))
                    .append(", \"expression\": ").append(json(c.expression()))
                    .append(", \"quartz_error\": ").append(json(e.getMessage())).append("}");
                continue;
            }
            TimeZone zone = TimeZone.getTimeZone(c.timezone());
            cron.setTimeZone(zone);
            ZoneId zoneId = zone.toZoneId();
            Instant after = parseAfter(c.after(), zoneId);
            List<String> fires = new ArrayList<>();
            String failure = null;
            Future<?> job = pool.submit(() -> {
                Date at = Date.from(after);
                for (int i = 0; i < FIRES; i++) {
                    at = cron.getTimeAfter(at);
                    if (at == null) break;
                    synchronized (fires) {
                        fires.add(ZonedDateTime.ofInstant(at.toInstant(), zoneId).format(ISO));
                    }
                }
                return null;
            });
            try {
                job.get(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                job.cancel(true);
                failure = "hang: getTimeAfter did not return within 5 s";
            } catch (java.util.concurrent.ExecutionException e) {
                failure = "crash: " + e.getCause();
            }
            if (valid.length() > 0) valid.append(",\n");
            valid.append("    {\"group\": ").append(json(c.group()))
                .append(", \"expression\": ").append(json(c.expression()))
                .append(", \"timezone\": ").append(json(c.timezone()))
                .append(", \"after\": ").append(json(ZonedDateTime.ofInstant(after, zoneId).format(ISO)));
            if (failure != null) valid.append(", \"quartz_failure\": ").append(json(failure));
            valid.append(", \"fires\": [");
            synchronized (fires) {
                for (int i = 0; i < fires.size(); i++) {
                    if (i > 0) valid.append(", ");
                    valid.append(json(fires.get(i)));
                }
            }
            valid.append("]}");
        }
        String out = "{\n"
            + "  \"generator\": \"tests/cron/quartz/generate.sh\",\n"
            + "  \"quartz\": \"2.3.2\",\n"
            + "  \"java\": " + json(System.getProperty("java.version")) + ",\n"
            + "  \"max_year\": " + CronExpression.MAX_YEAR + ",\n"
            + "  \"fires_per_case\": " + FIRES + ",\n"
            + "  \"cases\": [\n" + valid + "\n  ],\n"
            + "  \"rejected\": [\n" + rejected + "\n  ]\n}\n";
        Files.writeString(Path.of(args[1]), out, StandardCharsets.UTF_8);
        System.exit(0);
    }

    static List<Case> readCases(Path file) throws Exception {
        List<Case> cases = new ArrayList<>();
        String group = "misc";
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            if (line.startsWith("## ")) {
                group = line.substring(3).trim();
                continue;
            }
            if (line.startsWith("#")) continue;
            String[] parts = line.split(" \\| ", -1);
            String expression = parts[0].replace("\\t", "\t");
            String zone = parts.length > 1 ? parts[1].trim() : "UTC";
            String after = parts.length > 2 ? parts[2].trim() : "2026-01-01T00:00:00";
            cases.add(new Case(group, expression, zone, after));
        }
        return cases;
    }

    static Instant parseAfter(String text, ZoneId zone) {
        if (text.matches(".*([+-]\\d\\d:\\d\\d|Z)$")) return OffsetDateTime.parse(text).toInstant();
        return ZonedDateTime.ofLocal(LocalDateTime.parse(text), zone, null).toInstant();
    }

    // ---------------------------------------------------------------- random valid expressions

    static List<Case> randomCases(Random r) {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < RANDOM_CASES; i++) {
            String zone = ZONES[r.nextInt(ZONES.length)];
            cases.add(new Case("random", randomExpression(r), zone, randomAfter(r, zone)));
        }
        return cases;
    }

    static String randomAfter(Random r, String zone) {
        ZoneId id = TimeZone.getTimeZone(zone).toZoneId();
        long lo = Instant.parse("1995-01-01T00:00:00Z").getEpochSecond();
        long hi = Instant.parse("2045-12-31T00:00:00Z").getEpochSecond();
        Instant at = Instant.ofEpochSecond(lo + (long) (r.nextDouble() * (hi - lo)));
        ZoneRules rules = id.getRules();
        if (r.nextInt(3) == 0) {
            // land within a few hours of a DST transition, where the interesting things happen
            ZoneOffsetTransition next = rules.nextTransition(at);
            if (next != null) at = next.getInstant().plusSeconds(r.nextInt(6 * 3600) - 4 * 3600);
        }
        return ZonedDateTime.ofInstant(at, id).format(ISO);
    }

    static String randomExpression(Random r) {
        String seconds = r.nextInt(2) == 0 ? "0" : field(r, 0, 59, null);
        String minutes = r.nextInt(3) == 0 ? "0" : field(r, 0, 59, null);
        String hours = r.nextInt(5) == 0 ? "*" : field(r, 0, 23, null);
        String dom;
        String dow;
        if (r.nextBoolean()) {
            dow = "?";
            int k = r.nextInt(100);
            if (k < 60) dom = field(r, 1, 31, null);
            else if (k < 68) dom = "L";
            else if (k < 75) dom = "L-" + (r.nextInt(4) == 0 ? r.nextInt(31) : r.nextInt(6));
            else if (k < 80) dom = "LW";
            else if (k < 90) dom = (1 + r.nextInt(31)) + "W";
            else if (k < 93) dom = "L-" + r.nextInt(8) + "W";
            else dom = "*";
        } else {
            dom = "?";
            int k = r.nextInt(100);
            if (k < 60) dow = field(r, 1, 7, DAYS);
            else if (k < 70) dow = (1 + r.nextInt(7)) + "L";
            else if (k < 80) dow = (r.nextBoolean() ? DAYS[r.nextInt(7)] : "" + (1 + r.nextInt(7)))
                + "#" + (1 + r.nextInt(5));
            else if (k < 85) dow = "L";
            else dow = "*";
        }
        String month = r.nextInt(5) < 3 ? "*" : field(r, 1, 12, MONTHS);
        String expr = seconds + " " + minutes + " " + hours + " " + dom + " " + month + " " + dow;
        int y = r.nextInt(20);
        if (y == 0) expr += " *";
        else if (y == 1) expr += " " + (2000 + r.nextInt(46));
        else if (y == 2) { int a = 2000 + r.nextInt(40); expr += " " + a + "-" + (a + r.nextInt(8)); }
        else if (y == 3) expr += " " + (2000 + r.nextInt(46)) + "," + (2000 + r.nextInt(46));
        else if (y == 4) expr += " " + (1990 + r.nextInt(50)) + "/" + (1 + r.nextInt(7));
        return expr;
    }

    /** One field built from valid tokens: values, ranges (some wrapping), lists and steps. */
    static String field(Random r, int lo, int hi, String[] names) {
        int k = r.nextInt(10);
        if (k <= 2) return value(r, lo, hi, names);
        if (k == 3) return "*";
        if (k == 4) {
            int n = 2 + r.nextInt(3);
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < n; i++) {
                if (i > 0) b.append(',');
                b.append(r.nextInt(4) == 0 ? range(r, lo, hi, names) : value(r, lo, hi, names));
            }
            return b.toString();
        }
        if (k == 5) return range(r, lo, hi, names);
        int step = 1 + r.nextInt(Math.max(1, Math.min(hi - lo, 20)));
        if (k == 6) return "*/" + step;
        if (k == 7) return (lo + r.nextInt(hi - lo + 1)) + "/" + step;
        if (k == 8) {
            int a = lo + r.nextInt(hi - lo + 1);
            int b = lo + r.nextInt(hi - lo + 1);
            return a + "-" + b + "/" + step;
        }
        return range(r, lo, hi, names) + "," + value(r, lo, hi, names);
    }

    static String value(Random r, int lo, int hi, String[] names) {
        int v = lo + r.nextInt(hi - lo + 1);
        if (names != null && r.nextInt(3) == 0) return names[v - lo];
        return Integer.toString(v);
    }

    static String range(Random r, int lo, int hi, String[] names) {
        int a = lo + r.nextInt(hi - lo + 1);
        int b = lo + r.nextInt(hi - lo + 1);
        if (a == b) b = lo + (b - lo + 1) % (hi - lo + 1);
        if (names != null && r.nextInt(3) == 0) return names[a - lo] + "-" + names[b - lo];
        return a + "-" + b;
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                default -> {
                    if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
                    else b.append(ch);
                }
            }
        }
        return b.append('"').toString();
    }
}
