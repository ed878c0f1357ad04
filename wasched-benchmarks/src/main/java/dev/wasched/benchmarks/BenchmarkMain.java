package dev.wasched.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs the chosen workloads ({@code W1 W2 W3 W5 W6 W7 W8 IMPORT WEB CLOUD}, or {@code ALL}) in one JVM on one embedded
 * PostgreSQL, wasched beside db-scheduler's two polling strategies, and prints one table with ratios.
 */
public final class BenchmarkMain {
    private static final List<String> ALL = List.of("W1", "W2", "W3", "W5", "W6", "W7", "W8", "IMPORT",
            "WEB", "CLOUD");
    private static final String WASCHED = "wasched";

    private final BenchmarkSettings settings;
    private final PostgresServer postgres;
    /** db-scheduler with each polling strategy. */
    private final List<Contender> baselines;
    private final ResultTable table;
    private final TargetReport targets = new TargetReport();

    private BenchmarkMain(BenchmarkSettings settings, PostgresServer postgres) {
        this.settings = settings;
        this.postgres = postgres;
        this.baselines = List.of(
                new DbSchedulerContender(postgres, settings, DbSchedulerContender.Polling.LOCK_AND_FETCH),
                new DbSchedulerContender(postgres, settings, DbSchedulerContender.Polling.FETCH));
        List<String> names = new ArrayList<>(List.of(WASCHED));
        baselines.forEach(b -> names.add(b.name()));
        this.table = new ResultTable(names);
    }

    /**
     * wasched with {@code instances} instances' worth of accounts, then the baselines; {@code -Dbench.contenders}
     * (names or parts of them, comma-separated, such as {@code wasched,lock-and-fetch}) keeps only some.
     */
    /**
     * Unreported drains of every contender before W1 is measured, each repeated until one spent less than
     * {@link BenchmarkSettings#SETTLED_COMPILING} of its time compiling: otherwise the first measured runs of a
     * contender are slowed by the JIT compiler, which on two cores takes CPU from the drain itself (a single drain of
     * 20,000 left wasched compiling for 2.7 s of the 6.3 s of its first measured run), and the first contender in a
     * fresh JVM would also pay for compiling the code all share (JDBC driver, pool).
     */
    private void warmUp() throws InterruptedException {
        if (settings.w1Warmup() <= 0 || settings.w1WarmupDrains() <= 0) {
            return;
        }
        DrainWorkload warm = new DrainWorkload(postgres, settings.smallDrain(settings.w1Warmup(), 1,
                settings.contacts()));
        for (Contender c : contenders(1)) {
            for (int drain = 1; drain <= settings.w1WarmupDrains(); drain++) {
                DrainWorkload.Result r = warm.run(c, 1);
                progress(String.format("warm-up %d, %s: %d/%d ran in %.1f s, %s (not reported)", drain,
                        r.contender(), r.distinct(), r.jobs(), r.elapsed().toMillis() / 1000.0, compiling(r)));
                if (r.compiledAlready()) {
                    break;
                }
            }
        }
    }

    private static String compiling(DrainWorkload.Result r) {
        return r.compiling() == null ? "JIT time not reported by this JVM"
                : String.format("%.1f s of it compiling (JIT)", r.compiling().toMillis() / 1000.0);
    }

    private List<Contender> contenders(int instances) {
        List<Contender> all = new ArrayList<>();
        all.add(new WaschedContender(postgres, settings, settings.accountsPerInstance() * instances));
        all.addAll(baselines);
        String only = System.getProperty("bench.contenders", "");
        if (only.isBlank()) {
            return all;
        }
        List<String> wanted = List.of(only.split(","));
        return all.stream().filter(c -> wanted.stream().anyMatch(w -> c.name().contains(w.trim()))).toList();
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Set<String> chosen = new LinkedHashSet<>();
        for (String a : args.length == 0 ? new String[]{"ALL"} : args) {
            String w = a.toUpperCase(Locale.ROOT);
            if (w.equals("ALL")) {
                chosen.addAll(ALL);
            } else if (ALL.contains(w)) {
                chosen.add(w);
            } else {
                System.err.println("unknown workload " + a + "; choose from " + ALL + " or ALL");
                System.exit(2);
            }
        }
        BenchmarkSettings settings = BenchmarkSettings.fromSystemProperties();
        long t0 = System.nanoTime();
        try (PostgresServer postgres = PostgresServer.start(settings)) {
            BenchmarkMain main = new BenchmarkMain(settings, postgres);
            // As the server reports it, so the header cannot claim a setting the server did not take.
            String server = postgres.version() + ", synchronous_commit=" + postgres.setting("synchronous_commit");
            System.out.println(MachineDescription.describe(server, settings));
            for (String w : chosen) {
                main.run(w);
            }
            System.out.println();
            System.out.println("PostgreSQL " + server + " for every figure below");
            System.out.println(main.table.render());
            System.out.println(main.targets.render());
        }
        System.out.printf("total run time: %.0f s%n", (System.nanoTime() - t0) / 1e9);
        // Libraries may leave non-daemon threads behind (the browser driver); the run is over.
        System.exit(0);
    }

    private void run(String workload) throws Exception {
        progress("=== " + workload);
        switch (workload) {
            case "W1" -> drain();
            case "W2" -> steadyRate();
            case "W3" -> cronBurst();
            case "W5" -> idle();
            case "W6" -> campaign(false);
            case "W7" -> campaign(true);
            case "W8" -> concurrentSends();
            case "IMPORT" -> contactImport();
            case "WEB" -> webSimulator();
            case "CLOUD" -> cloudApi();
            default -> throw new IllegalArgumentException(workload);
        }
    }

    private void drain() throws InterruptedException {
        warmUp();
        DrainWorkload w1 = new DrainWorkload(postgres, settings);
        for (int instances : settings.w1Instances()) {
            List<Contender> contenders = contenders(instances);
            List<List<DrainWorkload.Result>> runs = new ArrayList<>();
            contenders.forEach(c -> runs.add(new ArrayList<>()));
            for (int round = 1; round <= settings.w1Rounds(); round++) {
                for (int i = 0; i < contenders.size(); i++) {
                    Contender c = contenders.get(i);
                    DrainWorkload.Result r = w1.run(c, instances);
                    runs.get(i).add(r);
                    TableWrites t = r.writes();
                    progress(String.format("%s, %d instance(s), run %d/%d: %d/%d ran in %.1f s = %.0f/s, %d duplicates, "
                                + "%.2f commits/exec, %.2f statements/exec, %.2f row versions/delivery, %.1f to %.1f"
                                    + " index entries/delivery, %.1f index pages/delivery, %s%s", r.contender(),
                            instances, round, settings.w1Rounds(), r.distinct(), r.jobs(),
                            r.elapsed().toMillis() / 1000.0, r.perSecond(), r.duplicates(), r.commitsPerExecution(),
                            r.statementsPerExecution(), r.perJob(t.rowVersions()), r.perJob(t.fullIndexEntries()),
                            r.perJob(t.indexEntriesAtMost()), r.perJob(t.indexBlocks()), compiling(r),
                            r.complete() ? "" : " (INCOMPLETE)"));
                    progress(String.format("  %s: %d inserted, %d updated (%d HOT), %d deleted, %d dead versions"
                                    + " left; %d indexes without and %d with a predicate, %d index pages accessed",
                            c.jobTable(), t.inserts(), t.updates(), t.hotUpdates(), t.deletes(), t.deadTuples(),
                            t.fullIndexes(), t.partialIndexes(), t.indexBlocks()));
                }
            }
            List<DrainWorkload.Result> results = new ArrayList<>();
            for (List<DrainWorkload.Result> of : runs) {
                results.add(median(of));
            }
            String name = String.format("W1 drain %,d, %d instance(s)", settings.w1Deliveries(), instances);
            table.add(name, "executions/s", "higher", "%.0f", values(results, DrainWorkload.Result::perSecond));
            table.addText(name, "duplicates", text(results, r -> r.duplicates() + (r.complete() ? "" : " (only " + r.distinct() + " ran)")));
            table.add(name, "DB commits / execution", "lower", "%.2f", values(results, DrainWorkload.Result::commitsPerExecution));
            table.add(name, "statements / execution", "lower", "%.2f", values(results, DrainWorkload.Result::statementsPerExecution));
            table.add(name, "row versions written / delivery (seeding insert included)", "lower", "%.2f",
                    values(results, r -> r.perJob(r.writes().rowVersions())));
            table.add(name, "of which HOT updates / delivery", "", "%.2f",
                    values(results, r -> r.perJob(r.writes().hotUpdates())));
            table.add(name, "index entries / delivery, indexes without predicate (exact)", "lower", "%.2f",
                    values(results, r -> r.perJob(r.writes().fullIndexEntries())));
            table.add(name, "index entries / delivery, all indexes (upper bound)", "lower", "%.2f",
                    values(results, r -> r.perJob(r.writes().indexEntriesAtMost())));
            table.add(name, "index pages accessed / delivery (scans and insertions)", "lower", "%.1f",
                    values(results, r -> r.perJob(r.writes().indexBlocks())));
            table.add(name, "dead row versions left / delivery", "", "%.2f",
                    values(results, r -> r.perJob(r.writes().deadTuples())));
            find(results, WASCHED).ifPresent(w -> find(results, baselines.get(0).name())
                    .ifPresent(b -> targets.drain(instances, w, b)));
        }
    }

    /**
     * The run with the median throughput (of an even number, the slower middle one), with its other figures; but its
     * duplicates are those of all the runs, and it counts as complete only when every run was, so no run hides a
     * failure of another.
     */
    static DrainWorkload.Result median(List<DrainWorkload.Result> runs) {
        List<DrainWorkload.Result> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(DrainWorkload.Result::perSecond));
        DrainWorkload.Result m = sorted.get((sorted.size() - 1) / 2);
        long duplicates = runs.stream().mapToLong(DrainWorkload.Result::duplicates).sum();
        boolean complete = runs.stream().allMatch(DrainWorkload.Result::complete);
        return new DrainWorkload.Result(m.contender(), m.instances(), m.jobs(), complete, m.elapsed(), m.executions(),
                m.distinct(), duplicates, m.commits(), m.statements(), m.writes(), m.compiling());
    }

    private void steadyRate() throws InterruptedException {
        SteadyRateWorkload w2 = new SteadyRateWorkload(settings);
        for (int rate : settings.w2Rates()) {
            List<SteadyRateWorkload.Result> results = new ArrayList<>();
            for (Contender c : contenders(1)) {
                SteadyRateWorkload.Result r = w2.run(c, rate);
                progress(String.format("%s at %d/s (achieved %.0f/s): %d/%d ran, %d duplicates, lateness %s",
                        r.contender(), rate, r.achievedRate(), r.ran(), r.jobs(), r.duplicates(), r.lateness()));
                results.add(r);
            }
            String name = String.format("W2 steady %d/s, due +%ds", rate, settings.w2Lead().toSeconds());
            table.add(name, "achieved rate /s", "", "%.0f", values(results, SteadyRateWorkload.Result::achievedRate));
            table.addText(name, "ran / scheduled, duplicates", text(results, r -> r.ran() + "/" + r.jobs() + ", " + r.duplicates()));
            table.add(name, "lateness p50 ms", "lower", "%.1f", values(results, r -> r.lateness().p50Ms()));
            table.add(name, "lateness p99 ms", "lower", "%.1f", values(results, r -> r.lateness().p99Ms()));
            table.add(name, "lateness max ms", "lower", "%.1f", values(results, r -> r.lateness().maxMs()));
            table.add(name, "statements / job (idle waiting included)", "lower", "%.1f",
                    values(results, SteadyRateWorkload.Result::statementsPerJob));
            find(results, WASCHED).ifPresent(targets::steadyRate);
        }
    }

    private void cronBurst() throws InterruptedException {
        CronBurstWorkload w3 = new CronBurstWorkload(settings);
        List<CronBurstWorkload.Result> results = new ArrayList<>();
        for (Contender c : contenders(1)) {
            CronBurstWorkload.Result r = w3.run(c);
            progress(String.format("%s: %d/%d ran, %d duplicates, seeded in %.1f s%s, all fired after %s, lateness %s",
                    r.contender(), r.ran(), r.schedules(), r.duplicates(), r.seedTime().toMillis() / 1000.0,
                    r.seededInTime() ? "" : " (TOO LATE for the fire minute)", r.timeToAll(), r.lateness()));
            results.add(r);
        }
        String name = String.format("W3 %,d crons, same minute", settings.w3Schedules());
        table.addText(name, "ran / scheduled, duplicates", text(results, r -> r.ran() + "/" + r.schedules() + ", " + r.duplicates()));
        table.add(name, "time to fire all s", "lower", "%.2f", values(results, r -> r.timeToAll() == null ? Double.NaN : r.timeToAll().toMillis() / 1000.0));
        table.add(name, "lateness p99 ms", "lower", "%.0f", values(results, r -> r.lateness().p99Ms()));
        table.add(name, "statements / schedule (idle waiting included)", "lower", "%.1f",
                values(results, CronBurstWorkload.Result::statementsPerSchedule));
        table.add(name, "seeding s (before start)", "", "%.1f", values(results, r -> r.seedTime().toMillis() / 1000.0));
        find(results, WASCHED).ifPresent(targets::cronBurst);
    }

    private void idle() throws InterruptedException {
        IdleWorkload w5 = new IdleWorkload(settings);
        List<IdleWorkload.Result> results = new ArrayList<>();
        // One WhatsApp account per wasched instance: the smallest instance that has anything to watch.
        List<Contender> idleContenders = new ArrayList<>(contenders(1));
        idleContenders.replaceAll(c -> c instanceof WaschedContender
                ? new WaschedContender(postgres, settings, settings.w5Instances()) : c);
        for (Contender c : idleContenders) {
            results.add(idleRun(w5, c, ""));
        }
        String name = String.format("W5 %d idle instances", settings.w5Instances());
        table.add(name, "statements/s per instance (wasched: 1 account each)", "lower", "%.2f",
                values(results, IdleWorkload.Result::perSecondPerInstance));
        // An idle instance's cost must not grow with the accounts it serves: W1's accounts per instance, and 100.
        IdleWorkload.Result worst = find(results, WASCHED).orElse(null);
        for (int accounts : new int[]{settings.accountsPerInstance(), 100}) {
            IdleWorkload.Result many = idleRun(w5, new WaschedContender(postgres, settings,
                    accounts * settings.w5Instances()), " with " + accounts + " accounts each");
            table.add(name, "statements/s per instance (wasched: " + accounts + " accounts each)", "", "%.2f",
                    Map.of(WASCHED, many.perSecondPerInstance()));
            if (worst == null || many.perSecondPerInstance() > worst.perSecondPerInstance()) {
                worst = many;
            }
        }
        if (worst != null) {
            targets.idle(worst);
        }
    }

    private static IdleWorkload.Result idleRun(IdleWorkload w5, Contender c, String remark) throws InterruptedException {
        IdleWorkload.Result r = w5.run(c);
        progress(String.format("%s%s: %d statements in %.0f s by %d idle instances = %.2f per second per instance",
                r.contender(), remark, r.statements(), r.window().toMillis() / 1000.0, r.instances(),
                r.perSecondPerInstance()));
        return r;
    }

    /** W6, or with {@code failover} W7; wasched only: db-scheduler has no pacing or accounts to compare with. */
    private void campaign(boolean failover) throws Exception {
        MorningCampaignWorkload w = new MorningCampaignWorkload(postgres, settings);
        MorningCampaignWorkload.Result r = w.run(failover);
        long gapMs = w.pacing().minGap().toMillis();
        MorningCampaignWorkload.Takeover t = r.takeover();
        progress(String.format("%s: %d/%d sent over %d accounts on %d instances%s%s, %d duplicates, %d UNCERTAIN"
                        + " (at most %d for one account); beyond pacing %s, %d sent early; slowest first message"
                        + " %s after T (all fanned out %s after T); without the first messages %s; shortest gap %s (policy %d ms), %d closer; %.1f statements/message",
                r.contender(), r.sent(), r.messages(), r.accounts(), r.instances(),
                r.startedInTime() ? "" : " (NOT all started before T)", r.complete() ? "" : " (INCOMPLETE)",
                r.duplicates(), r.uncertain(), r.maxUncertainPerAccount(), r.addedDelay(), r.early(),
                r.slowestFirstMessage(), r.fanOut(), r.addedAfterFirst(), r.shortestGap(), gapMs, r.bursts(), r.statementsPerMessage()));
        if (t != null) {
            progress(String.format("%s killed after %d sends; its %d accounts: transports restarted on survivors within"
                            + " %s, sending again from %s (first) to %s (last) after the kill", t.killed(),
                    t.sentBeforeKill(), t.accounts(), t.lastRestart(), t.firstSend(), t.lastSend()));
        }
        String name = failover
                ? String.format("W7 = W6, %s killed after %,d sends", t == null ? "none" : t.killed(),
                        t == null ? 0 : t.sentBeforeKill())
                : String.format("W6 campaign %,d messages, %d accounts, %d instances", r.messages(), r.accounts(),
                        r.instances());
        table.addText(name, "sent / scheduled, duplicates", Map.of(WASCHED, r.sent() + "/" + r.messages() + ", "
                + r.duplicates() + (r.complete() ? "" : " (INCOMPLETE)")));
        table.add(name, "added beyond pacing p50 ms", "", "%.1f", Map.of(WASCHED, r.addedDelay().p50Ms()));
        table.add(name, "added beyond pacing p99 ms", "", "%.1f", Map.of(WASCHED, r.addedDelay().p99Ms()));
        table.add(name, "added beyond pacing max ms", "", "%.1f", Map.of(WASCHED, r.addedDelay().maxMs()));
        table.add(name, "added beyond pacing p99 ms, accounts' first messages left out", "", "%.1f",
                Map.of(WASCHED, r.addedAfterFirst().p99Ms()));
        table.addText(name, "sends closer than the " + gapMs + " ms gap, or before pacing allowed",
                Map.of(WASCHED, r.bursts() + ", " + r.early()));
        table.add(name, "shortest gap between an account's sends ms", "", "%.0f", Map.of(WASCHED, millis(r.shortestGap())));
        if (failover) {
            table.addText(name, "UNCERTAIN: total, most for one account",
                    Map.of(WASCHED, r.uncertain() + ", " + r.maxUncertainPerAccount()));
            table.add(name, "takeover: kill to last account's transport restarted s", "", "%.1f",
                    Map.of(WASCHED, millis(t == null ? null : t.lastRestart()) / 1000));
            table.add(name, "takeover: kill to last account sending again s (lease "
                            + (t == null ? "n/a" : t.lease().toSeconds() + " s") + ")", "", "%.1f",
                    Map.of(WASCHED, millis(t == null ? null : t.lastSend()) / 1000));
            targets.failover(r);
        } else {
            table.add(name, "slowest account's first message after T ms", "", "%.0f",
                    Map.of(WASCHED, millis(r.slowestFirstMessage())));
            table.add(name, "last schedule fanned out after T ms", "", "%.0f", Map.of(WASCHED, millis(r.fanOut())));
            targets.campaign(r);
        }
        table.add(name, "statements / message (all instances, waiting included)", "", "%.1f",
                Map.of(WASCHED, r.statementsPerMessage()));
    }

    /**
     * W8: one account whose transport takes each send {@code w8Latency} (an HTTP API such as the Cloud API), sending
     * one at a time and then with {@link #W8_AT_ONCE} at once (as many as the default send window claims).
     */
    private void concurrentSends() throws InterruptedException {
        BenchmarkSettings one = settings.smallDrain(settings.w8Messages(), 1, settings.contacts());
        DrainWorkload w8 = new DrainWorkload(postgres, one);
        Map<Integer, DrainWorkload.Result> results = new LinkedHashMap<>();
        for (int atOnce : new int[]{1, W8_AT_ONCE}) {
            DrainWorkload.Result r = w8.run(new WaschedContender(postgres, one, 1, settings.w8Latency(), atOnce), 1);
            progress(String.format("wasched, one account, %d ms per send, %d at once: %d/%d sent in %.1f s = %.0f/s,"
                            + " %d duplicates, %.2f commits/message", settings.w8Latency().toMillis(), atOnce,
                    r.distinct(), r.jobs(), r.elapsed().toMillis() / 1000.0, r.perSecond(), r.duplicates(),
                    r.commitsPerExecution()));
            results.put(atOnce, r);
        }
        String name = String.format("W8 one account, %,d messages, %d ms per send", settings.w8Messages(),
                settings.w8Latency().toMillis());
        results.forEach((atOnce, r) -> {
            table.add(name, "messages/s, " + atOnce + " at once", "", "%.0f", Map.of(WASCHED, r.perSecond()));
            table.add(name, "DB commits / message, " + atOnce + " at once", "", "%.2f",
                    Map.of(WASCHED, r.commitsPerExecution()));
        });
        table.addText(name, "duplicates", Map.of(WASCHED, results.values().stream()
                .map(r -> r.duplicates() + (r.complete() ? "" : " (INCOMPLETE)")).toList().toString()));
        targets.concurrentSends(W8_AT_ONCE, results.get(1), results.get(W8_AT_ONCE));
    }

    private static final int W8_AT_ONCE = 16;

    /** CLOUD: one Cloud API number through the engine to the fake Cloud API, acks back by webhook. */
    private void cloudApi() throws InterruptedException {
        CloudApiBenchmark.Result r = new CloudApiBenchmark(postgres).run();
        progress(String.format("wasched, one Cloud API number, %d messages, pacing off: %.0f sent/s (API accepted %.0f/s), DELIVERED acks"
                        + " %.0f/s (from the campaign's start), READ acks %.0f/s, %d webhook events applied, %d"
                        + " duplicates%s", r.messages(), r.sentPerSecond(), r.apiPerSecond(), r.deliveredAckedPerSecond(),
                r.readAckedPerSecond(), r.webhookEventsApplied(), r.duplicates(), r.complete() ? "" : " (INCOMPLETE)"));
        String name = String.format("CLOUD one Cloud API number, %,d messages, fake API over HTTP", r.messages());
        table.add(name, "messages sent/s (campaign created to all SENT)", "", "%.0f", Map.of(WASCHED, r.sentPerSecond()));
        table.add(name, "messages accepted/s by the API (first to last)", "", "%.0f", Map.of(WASCHED, r.apiPerSecond()));
        table.add(name, "webhook READ acks applied/s", "", "%.0f", Map.of(WASCHED, r.readAckedPerSecond()));
        table.addText(name, "duplicates", Map.of(WASCHED, r.duplicates() + (r.complete() ? "" : " (INCOMPLETE)")));
        targets.cloudApi(r.sentPerSecond(), r.duplicates(), r.complete());
    }

    private static double millis(java.time.Duration d) {
        return d == null ? Double.NaN : d.toNanos() / 1e6;
    }

    private void contactImport() throws Exception {
        ContactImportBenchmark bench = new ContactImportBenchmark(postgres, settings);
        for (ContactImportBenchmark.Database db : ContactImportBenchmark.Database.values()) {
            ContactImportBenchmark.Result r = bench.run(db);
            progress(r.toString());
            String name = String.format("import %,d contacts (CSV) into %s", r.rows(), db.label);
            table.add(name, "rows/s", "", "%.0f", Map.of(WASCHED, r.rowsPerSecond()));
            table.add(name, "peak heap in use MB (garbage included)", "", "%.0f", Map.of(WASCHED, r.peakHeapMb()));
            table.add(name, "peak heap after GC MB", "", "%.0f", Map.of(WASCHED, r.peakLiveHeapMb()));
        }
    }

    private void webSimulator() throws Exception {
        WebSimulatorBenchmark.Result r = new WebSimulatorBenchmark(settings).run();
        progress(r.toString());
        targets.web(r);
        String name = "WhatsApp Web simulator";
        table.add(name, "send() p50 ms (no pacing)", "", "%.0f", Map.of(WASCHED, r.send().p50Ms()));
        table.add(name, "send() p99 ms (no pacing)", "", "%.0f", Map.of(WASCHED, r.send().p99Ms()));
        table.add(name, "messages/s through the engine", "", "%.2f", Map.of(WASCHED, r.messagesPerSecond()));
        table.add(name, "cold start to READY, restored session, p50 ms", "", "%.0f", Map.of(WASCHED, r.coldStart().p50Ms()));
        table.add(name, "cold start to READY, restored session, max ms", "", "%.0f", Map.of(WASCHED, r.coldStart().maxMs()));
        table.add(name, "page loads per send, first message to a chat", "", "%.2f", Map.of(WASCHED, r.loadsPerFirstSend()));
        table.add(name, "page loads per send, chat opened before", "", "%.2f", Map.of(WASCHED, r.loadsPerLaterSend()));
        table.add(name, "session snapshot MB (chat history " + settings.webHistoryMb() + " MB)", "", "%.1f",
                Map.of(WASCHED, r.snapshotBytes() / 1e6));
        table.add(name, "session snapshot pack + store ms", "", "%.0f", Map.of(WASCHED, (double) r.snapshotMillis()));
        table.add(name, "longest a send waited for a snapshot ms", "", "%.0f",
                Map.of(WASCHED, (double) r.longestSnapshotHoldMillis()));
        PageLayerBenchmark.Result layers = new PageLayerBenchmark(settings).run();
        progress(layers.toString());
        table.add(name, "send() p50 ms, page up: in-page (AUTO)", "", "%.0f",
                Map.of(WASCHED, layers.inPage().send().p50Ms()));
        table.add(name, "send() p50 ms, page up: user interface (UI_ONLY)", "", "%.0f",
                Map.of(WASCHED, layers.ui().send().p50Ms()));
        table.add(name, "registration checks per minute: in-page (AUTO)", "", "%.0f",
                Map.of(WASCHED, layers.inPage().checksPerMinute()));
        table.add(name, "registration checks per minute: user interface (UI_ONLY)", "", "%.0f",
                Map.of(WASCHED, layers.ui().checksPerMinute()));
    }

    private static <R extends ContenderResult> Map<String, Double> values(List<R> results, Function<R, Double> value) {
        Map<String, Double> m = new LinkedHashMap<>();
        results.forEach(r -> m.put(r.contender(), value.apply(r)));
        return m;
    }

    private static <R extends ContenderResult> Map<String, String> text(List<R> results, Function<R, String> value) {
        Map<String, String> m = new LinkedHashMap<>();
        results.forEach(r -> m.put(r.contender(), value.apply(r)));
        return m;
    }

    private static <R extends ContenderResult> java.util.Optional<R> find(List<R> results, String contender) {
        return results.stream().filter(r -> r.contender().equals(contender)).findFirst();
    }

    static void progress(String line) {
        System.out.println(java.time.LocalTime.now().withNano(0) + " " + line);
        System.out.flush();
    }
}
