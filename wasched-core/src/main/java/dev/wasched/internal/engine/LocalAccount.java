package dev.wasched.internal.engine;

import dev.wasched.spi.transport.MessageTransport;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The parts that run one WhatsApp account on this instance, wired together: its session, the ledger of its
 * deliveries, the dispatcher that sends them and the settler of its UNCERTAIN ones.
 */
record LocalAccount(String account, AccountSession session, Dispatcher dispatcher, UncertainSettler settler,
                    WakeSignal wake) {

    static LocalAccount wire(String account, EngineContext ctx, DispatchCombiner combiner,
                             Supplier<MessageTransport> transports,
                             Executor transportEvents, Executor sends, BooleanSupplier sendingPaused,
                             ReplyActions replies, Supplier<dev.wasched.policy.PacingPolicy> pacing) {
        WakeSignal wake = new WakeSignal();
        SessionLease lease = new SessionLease();
        DeliveryLedger ledger = new DeliveryLedger(account, ctx, lease::held);
        RunningSend running = new RunningSend(account, ledger);
        AccountSession session = new AccountSession(account, ctx, lease, ledger, running, transports, transportEvents,
                sendingPaused, wake, new InboundReceiver(account, ctx, replies));
        Dispatcher dispatcher = new Dispatcher(account, ctx, combiner, session, ledger, running, wake, sends, pacing);
        session.unhandedClaims(dispatcher::sealForHandBack);
        return new LocalAccount(account, session, dispatcher, new UncertainSettler(account, ctx, session, ledger), wake);
    }
}
