package dev.wasched.examples.cli;

import dev.wasched.Wasched;
import dev.wasched.health.Health;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows the queue, the live instances and who runs each account.")
final class StatusCommand extends StoreCommand {
    @Override
    int run(CliConfig c, OpenStore store, Wasched w) {
        Health h = w.health();
        var out = spec.commandLine().getOut();
        out.printf("store: %s (%s, ping %d ms)%n", RunCommand.redacted(c.storeUrl()),
                h.store().reachable() ? "reachable" : "UNREACHABLE", h.store().latency().toMillis());
        out.printf("queue: %d pending (%d due now), %d uncertain, %d dead%n", h.queue().pending(),
                h.queue().dueNow(), h.queue().uncertain(), h.queue().dead());
        out.printf("replies: %d deliveries answered%n", w.deliveries().repliedCount(null));
        out.printf("instances: %s%n", h.liveInstances().isEmpty() ? "none running" : String.join(", ", h.liveInstances()));
        out.printf("sending: %s%n", h.sendingPaused() ? "PAUSED" : "on");
        for (dev.wasched.account.Account a : w.accounts().list()) {
            if (a.live()) {
                String owner = store.store().leases().owner("session:" + a.name()).orElse("nobody");
                out.printf("account %s (%s): run by %s, %d deliveries answered%n", a.name(), a.status(), owner,
                        w.deliveries().repliedCount(a.name()));
            }
        }
        return ExitCodes.OK;
    }
}
