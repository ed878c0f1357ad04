package dev.wasched.whatsapp.internal;

import dev.wasched.whatsapp.internal.WhatsAppWebPage.Bubble;
import dev.wasched.whatsapp.internal.WhatsAppWebPage.Match;
import java.util.List;

/**
 * What the outgoing rows of a chat prove about one send attempt. The attempt's <em>marker</em> is the {@code data-id}
 * of the newest outgoing row in the chat right before the send action, or {@value #NO_ROWS} when the chat showed
 * none; the attempt's message is the row with the id it reported, or a row that comes after the marker's row. A row
 * before the marker, or any row when no marker was recorded, proves nothing: an identical text may have been sent
 * the day before.
 *
 * <p>A send through WhatsApp Web's own modules chooses its message's id before the send action; its marker is
 * {@value #IN_PAGE} followed by that id: the row with that id and the attempt's text is the attempt's message.
 * Anything else proves nothing (the rows shown may not reach back far enough, or the row shows another text), so such
 * an attempt is found or unknown, never not found: a send whose outcome is unknown is never tried again.
 *
 * <p>Rows are given oldest first, as the chat shows them. The marker {@value #NO_ROWS} assumes that the rows shown
 * reach back to where the chat was when the attempt started (the chat showed no outgoing row then).
 */
final class SendEvidence {
    /** The marker of a chat that showed no outgoing row before the send action. */
    static final String NO_ROWS = "none";
    /** The prefix of an in-page attempt's marker; the message id follows. */
    static final String IN_PAGE = "id:";

    private SendEvidence() {
    }

    /**
     * What the rows say: {@code found} (the attempt's row), {@code notFound} (the rows reach back to the marker and
     * none of them is the attempt's), or neither, with the reason.
     */
    record Verdict(Bubble found, boolean notFound, String reason) {
        static Verdict found(Bubble b) {
            return new Verdict(b, false, null);
        }

        static Verdict absent() {
            return new Verdict(null, true, null);
        }

        static Verdict unknown(String reason) {
            return new Verdict(null, false, reason);
        }
    }

    /** The marker of an in-page attempt whose message has the id {@code id}. */
    static String inPageMarker(String id) {
        return IN_PAGE + id;
    }

    /** The marker for a chat whose outgoing row ids, oldest first, are {@code before}. */
    static String marker(List<String> before) {
        return before.isEmpty() ? NO_ROWS : before.get(before.size() - 1);
    }

    /**
     * For a lookup: the row with {@code knownId}; else the first row after the marker that shows exactly the
     * message ({@code match}). Not found only when the marker's row is shown (or the marker is {@value #NO_ROWS})
     * and no such row follows it.
     */
    static Verdict judge(List<Bubble> rows, String knownId, String marker, Match match) {
        int known = knownId == null ? -1 : indexOf(rows, knownId);
        if (known >= 0) {
            return Verdict.found(rows.get(known));
        }
        if (marker != null && marker.startsWith(IN_PAGE)) {
            // Only this attempt's own row can settle it; nothing proves it absent, so it is never "not found".
            String id = marker.substring(IN_PAGE.length());
            int at = indexOf(rows, id);
            if (at >= 0 && match.matches(rows.get(at))) {
                return Verdict.found(rows.get(at));
            }
            return Verdict.unknown(at < 0 ? "the attempt was sent from inside the page as message " + id + ", which"
                    + " the chat as shown does not hold; that does not prove it was not sent"
                    : "the row of message " + id + " does not show this attempt's text");
        }
        if (marker == null) {
            return Verdict.unknown(knownId == null
                    ? "no send marker was recorded for this attempt, so a matching message in the chat may be an older one"
                    : "the attempt's message is not in the chat as shown, and no send marker was recorded to read back to");
        }
        int start = startAfter(rows, marker);
        if (start < 0) {
            return Verdict.unknown("the chat as shown does not reach back to where this attempt started");
        }
        for (int i = start; i < rows.size(); i++) {
            if (match.matches(rows.get(i))) {
                return Verdict.found(rows.get(i));
            }
        }
        return Verdict.absent();
    }

    /**
     * For the sender, right after its send action failed to confirm: the row with {@code id} when it was seen, else
     * the first row after the marker (whatever its text: the caller checks the text softly). Absent when the rows
     * reach back to the marker and hold neither.
     */
    static Verdict afterSendAction(List<Bubble> rows, String id, String marker) {
        int start = startAfter(rows, marker);
        if (id != null) {
            int at = indexOf(rows, id);
            if (at >= 0) {
                return Verdict.found(rows.get(at));
            }
            return start < 0 ? Verdict.unknown("the chat as shown reaches neither the message nor where the send "
                    + "started") : Verdict.absent();
        }
        if (start < 0) {
            return Verdict.unknown("the chat as shown does not reach back to where the send started");
        }
        return start < rows.size() ? Verdict.found(rows.get(start)) : Verdict.absent();
    }

    /** The index of the first row after the marker's row; -1 when the marker's row is not shown. */
    private static int startAfter(List<Bubble> rows, String marker) {
        if (NO_ROWS.equals(marker)) {
            return 0;
        }
        int at = indexOf(rows, marker);
        return at < 0 ? -1 : at + 1;
    }

    private static int indexOf(List<Bubble> rows, String id) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
