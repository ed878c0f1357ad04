package dev.wasched.whatsapp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.whatsapp.internal.WhatsAppWebPage.Bubble;
import dev.wasched.whatsapp.internal.WhatsAppWebPage.Match;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a chat's outgoing rows prove about a send attempt, without a browser. */
class SendEvidenceTest {
    private static final Match REMINDER = new Match("Take your pills", null);
    private static final Bubble YESTERDAY = new Bubble("true_49170@c.us_3EB0AAA", "msg-dblcheck-ack", "Take your pills", null);
    private static final Bubble CHAT = new Bubble("true_49170@c.us_3EB0BBB", "msg-dblcheck", "see you", null);
    private static final Bubble TODAY = new Bubble("true_49170@c.us_3EB0CCC", "msg-check", "Take your pills", null);

    @Test
    void theMarkerIsTheNewestRowOrNone() {
        assertThat(SendEvidence.marker(List.of())).isEqualTo(SendEvidence.NO_ROWS);
        assertThat(SendEvidence.marker(List.of(YESTERDAY.id(), CHAT.id()))).isEqualTo(CHAT.id());
    }

    @Test
    void yesterdaysIdenticalReminderNeverSettlesToday() {
        List<Bubble> chat = List.of(YESTERDAY, CHAT);
        // No evidence at all (the owner died before the marker was stored): a matching row proves nothing.
        SendEvidence.Verdict none = SendEvidence.judge(chat, null, null, REMINDER);
        assertThat(none.found()).isNull();
        assertThat(none.notFound()).isFalse();
        assertThat(none.reason()).contains("no send marker");
        // Today's attempt started after yesterday's reminder; nothing of it is in the chat.
        SendEvidence.Verdict afterMarker = SendEvidence.judge(chat, null, CHAT.id(), REMINDER);
        assertThat(afterMarker.found()).isNull();
        assertThat(afterMarker.notFound()).isTrue();
        // Even when the marker is yesterday's reminder itself.
        assertThat(SendEvidence.judge(List.of(YESTERDAY), null, YESTERDAY.id(), REMINDER).found()).isNull();
    }

    @Test
    void todaysReminderAfterTheMarkerOrWithItsIdIsFound() {
        List<Bubble> chat = List.of(YESTERDAY, CHAT, TODAY);
        assertThat(SendEvidence.judge(chat, null, CHAT.id(), REMINDER).found()).isEqualTo(TODAY);
        assertThat(SendEvidence.judge(chat, TODAY.id(), null, REMINDER).found()).as("by id, no marker needed")
                .isEqualTo(TODAY);
        assertThat(SendEvidence.judge(chat, TODAY.id(), CHAT.id(), new Match("edited?", null)).found())
                .as("the id wins over the text").isEqualTo(TODAY);
        assertThat(SendEvidence.judge(List.of(TODAY), null, SendEvidence.NO_ROWS, REMINDER).found())
                .as("a chat that had no outgoing row").isEqualTo(TODAY);
    }

    @Test
    void anInPageAttemptIsItsOwnRowOrUnknownNeverNotFound() {
        List<Bubble> chat = List.of(YESTERDAY, CHAT, TODAY);
        assertThat(SendEvidence.judge(chat, null, SendEvidence.inPageMarker(TODAY.id()), REMINDER).found())
                .as("the row with the id chosen before the send action").isEqualTo(TODAY);
        SendEvidence.Verdict notShown = SendEvidence.judge(List.of(YESTERDAY, CHAT), null,
                SendEvidence.inPageMarker("true_49170@c.us_3EB0DDD"), REMINDER);
        assertThat(notShown.found()).isNull();
        assertThat(notShown.notFound()).as("an in-page attempt not shown is never proven absent").isFalse();
        assertThat(notShown.reason()).contains("from inside the page");
        // The row of the marker's id shows another text: it settles nothing, and no later row is taken for it.
        for (List<Bubble> rows : List.of(List.of(YESTERDAY, CHAT), chat)) {
            SendEvidence.Verdict other = SendEvidence.judge(rows, null, SendEvidence.inPageMarker(CHAT.id()), REMINDER);
            assertThat(other.found()).isNull();
            assertThat(other.notFound()).isFalse();
        }
    }

    @Test
    void aChatThatDoesNotReachBackToTheMarkerCannotTell() {
        SendEvidence.Verdict v = SendEvidence.judge(List.of(TODAY), null, "true_49170@c.us_3EB0GONE", REMINDER);
        assertThat(v.found()).isNull();
        assertThat(v.notFound()).isFalse();
        assertThat(v.reason()).contains("does not reach back");
        SendEvidence.Verdict lostId = SendEvidence.judge(List.of(CHAT), "true_49170@c.us_3EB0LOST", null, REMINDER);
        assertThat(lostId.found()).isNull();
        assertThat(lostId.notFound()).isFalse();
    }

    @Test
    void afterTheSendActionTheFirstNewRowIsOursWhateverItsText() {
        List<Bubble> chat = List.of(YESTERDAY, CHAT, TODAY);
        assertThat(SendEvidence.afterSendAction(chat, null, CHAT.id()).found()).isEqualTo(TODAY);
        assertThat(SendEvidence.afterSendAction(chat, TODAY.id(), CHAT.id()).found()).isEqualTo(TODAY);
        assertThat(SendEvidence.afterSendAction(List.of(YESTERDAY, CHAT), null, CHAT.id()).notFound())
                .as("nothing after the marker: proven absent").isTrue();
        assertThat(SendEvidence.afterSendAction(List.of(YESTERDAY, CHAT), TODAY.id(), CHAT.id()).notFound())
                .as("the seen id is gone and the chat reaches back to the marker").isTrue();
        SendEvidence.Verdict v = SendEvidence.afterSendAction(List.of(TODAY), null, CHAT.id());
        assertThat(v.found()).isNull();
        assertThat(v.notFound()).as("the marker's row is not shown: cannot tell").isFalse();
    }
}
