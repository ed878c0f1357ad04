package dev.wasched.health;

import dev.wasched.session.AccountState;
import java.time.Duration;
import java.time.Instant;

/**
 * One account as this instance sees it.
 *
 * @param owner           the instance holding the session lease, or null when nobody does
 * @param readyFor        how long the session has been READY here (null when not READY here)
 * @param sessionSavedAt  when the account's login was last saved to the store (its session snapshot), or null when
 *                        none is stored; transports save after a login and again as they run, so an old value means
 *                        the stored login may no longer be accepted
 * @param lastSentAt      the last message this instance sent for it, or null
 * @param circuit         CLOSED, OPEN or HALF_OPEN
 * @param nextAllowedSend pacing: the next send is not before this
 * @param sentToday       pacing: messages sent today (in the pacing zone)
 * @param dailyCap        pacing: the daily cap, 0 for none
 * @param stateDetail     the transport's word on its state, or null: why it is not READY, or for a READY WhatsApp Web
 *                        account how it got there and the page's build ({@code linked; WhatsApp Web 2.3000.…})
 */
public record AccountHealth(String account, AccountState state, String owner, boolean ownedHere, Instant stateSince,
                            Duration readyFor, Instant sessionSavedAt, Instant lastSentAt, String circuit, Instant nextAllowedSend,
                            int sentToday, int dailyCap, String stateDetail) {
}
