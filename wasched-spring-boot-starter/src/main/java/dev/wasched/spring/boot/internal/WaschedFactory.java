package dev.wasched.spring.boot.internal;

import dev.wasched.Secret;
import dev.wasched.Wasched;
import dev.wasched.WaschedBuilder;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.policy.QuietHours;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.spring.boot.WaschedProperties;

/** Turns {@link WaschedProperties} into wasched's builders. */
public final class WaschedFactory {
    private WaschedFactory() {
    }

    /** A builder with every property applied; unset ones keep the builder's defaults. */
    public static WaschedBuilder builder(WaschedProperties p, WaschedStore store) {
        WaschedBuilder b = Wasched.builder().store(store)
                .instanceWeight(p.getInstanceWeight())
                .fallbackPoll(p.getFallbackPoll())
                .shutdownTimeout(p.getShutdownTimeout())
                .retention(p.getRetention())
                .sendingEnabled(p.isSendingEnabled())
                .leaseDuration(p.getLease().getDuration())
                .heartbeatInterval(p.getLease().getHeartbeatInterval())
                .pacing(pacing(p.getPacing(), PacingPolicy.DEFAULT));
        if (p.getInstanceId() != null) {
            b.instanceId(p.getInstanceId());
        }
        if (p.getDefaultRegion() != null) {
            b.defaultRegion(p.getDefaultRegion());
        }
        if (p.getDefaultZone() != null) {
            b.defaultZone(p.getDefaultZone());
        }
        WaschedProperties.Session session = p.getSession();
        if (session.getKey() != null) {
            b.sessionKey(Secret.of(session.getKey())).adoptUnencryptedSessions(session.isAdoptUnencrypted());
        }
        if (session.getPreviousKey() != null) {
            b.previousSessionKey(Secret.of(session.getPreviousKey()));
        }
        return b;
    }

    /** {@code base} with what {@code pacing} sets. */
    public static PacingPolicy pacing(WaschedProperties.Pacing pacing, PacingPolicy base) {
        PacingPolicy p = base
                .withGap(or(pacing.getMinGap(), base.minGap()), or(pacing.getJitter(), base.jitter()))
                .withCaps(or(pacing.getHourlyCap(), base.hourlyCap()), or(pacing.getDailyCap(), base.dailyCap()),
                        or(pacing.getNewContactsDailyCap(), base.newContactDailyCap()))
                .withTypingSimulation(or(pacing.getSimulateTyping(), base.simulateTyping()))
                .withZone(or(pacing.getZone(), base.zone()));
        if (pacing.getQuietHoursStart() != null || pacing.getQuietHoursEnd() != null) {
            // QuietHours refuses a missing end, naming it, so a half-set pair fails at start instead of being ignored
            p = p.withQuietHours(new QuietHours(pacing.getQuietHoursStart(), pacing.getQuietHoursEnd()));
        }
        return p;
    }

    /** Whether any pacing value is set: an account without any follows the engine's pacing. */
    static boolean isSet(WaschedProperties.Pacing p) {
        return p.getMinGap() != null || p.getJitter() != null || p.getHourlyCap() != null || p.getDailyCap() != null
                || p.getNewContactsDailyCap() != null || p.getQuietHoursStart() != null
                || p.getQuietHoursEnd() != null || p.getSimulateTyping() != null || p.getZone() != null;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
