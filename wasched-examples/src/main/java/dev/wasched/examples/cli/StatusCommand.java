package dev.wasched.examples.cli;

import dev.wasched.Wasched;
import dev.wasched.health.Health;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows the queue, the live instances and who runs each account.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CliConfig c = config.load();
        try (OpenStore store = OpenStore.open(c); Wasched w = ConfigOption.offline(c, store)) {
            Health h = w.health();
            var out = spec.commandLine().getOut();
            out.printf("store: %s (%s, ping %d ms)%n", RunCommand.redacted(c.storeUrl()),
                    h.store().reachable() ? "reachable" : "UNREACHABLE", h.store().latency().toMillis());
            out.printf("queue: %d pending (%d due now), %d uncertain, %d dead%n", h.queue().pending(),
                    h.queue().dueNow(), h.queue().uncertain(), h.queue().dead());
            out.printf("replies: %d deliveries answered%n", w.deliveries().repliedCount(null));
            out.printf("instances: %s%n", h.liveInstances().isEmpty() ? "none running" : String.join(", ", h.liveInstances()));
            out.printf("sending: %s%n", h.sendingPaused() ? "PAUSED" : "on");
            for (String account : c.accounts()) {
                String owner = store.store().leases().owner("session:" + account).orElse("nobody");
                out.printf("account %s: run by %s, %d deliveries answered%n", account, owner,
                        w.deliveries().repliedCount(account));
            }
            return ExitCodes.OK;
        }
    }
}
