package dev.wasched.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.Recipient;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.message.MessageContent;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryCsvTest {
    @Test
    void quotesOnlyWhatRfc4180Needs() {
        assertThat(DeliveryCsv.field("plain")).isEqualTo("plain");
        assertThat(DeliveryCsv.field(null)).isEmpty();
        assertThat(DeliveryCsv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(DeliveryCsv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(DeliveryCsv.field("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(DeliveryCsv.field("cr\r")).isEqualTo("\"cr\r\"");
        assertThat(DeliveryCsv.field(Instant.parse("2026-05-04T10:15:30.123Z"))).isEqualTo("2026-05-04T10:15:30.123Z");
    }

    @Test
    void guardsEveryValueASpreadsheetWouldTakeForAFormula() {
        assertThat(DeliveryCsv.field("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(DeliveryCsv.field("+4915112345678")).isEqualTo("'+4915112345678");
        assertThat(DeliveryCsv.field("-1+2")).isEqualTo("'-1+2");
        assertThat(DeliveryCsv.field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(DeliveryCsv.field("\tcmd")).isEqualTo("'\tcmd");
        assertThat(DeliveryCsv.field("a=b")).isEqualTo("a=b");
    }

    @Test
    void writesAHeaderAndOneCrlfRowPerDelivery() throws Exception {
        InMemoryStore store = new InMemoryStore();
        Instant t = Instant.parse("2026-05-04T10:00:00Z");
        Delivery group = Delivery.pending("0001", "s1", t, Recipient.group("=Team, \"A\"", ZoneId.of("UTC")), "shop",
                MessageContent.text("secret text"), t);
        Delivery dead = Delivery.deadOnArrival("0002", "s1", t, Recipient.contact("c1", "+4915112345678",
                ZoneId.of("UTC")), "shop", "missing variable 'name'", t);
        store.deliveries().insertAll(List.of(group, dead));
        StringBuilder out = new StringBuilder();

        long rows = DeliveryCsv.export(store.deliveries(), DeliveryQuery.all(), out);

        assertThat(rows).isEqualTo(2);
        assertThat(out.toString()).isEqualTo(String.join(",", DeliveryCsv.header()) + "\r\n"
                + "0002,s1,2026-05-04T10:00:00Z,shop,CONTACT,c1,'+4915112345678,,DEAD,0,2026-05-04T10:00:00Z,,,,,"
                + "missing variable 'name',\r\n"
                + "0001,s1,2026-05-04T10:00:00Z,shop,GROUP,,,\"'=Team, \"\"A\"\"\",PENDING,0,2026-05-04T10:00:00Z,,,,,,"
                + "\r\n");
        assertThat(out.toString()).doesNotContain("secret text");
    }
}
