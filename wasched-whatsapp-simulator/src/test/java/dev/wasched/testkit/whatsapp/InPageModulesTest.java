package dev.wasched.testkit.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InPageModulesTest {

    @Test
    void theStandardBuildNamesEveryRoleAndTheRenamedOneSharesNoId() {
        InPageModules standard = InPageModules.standard();
        assertThat(standard.ids().keySet()).containsExactlyElementsOf(InPageModules.ROLES);
        assertThat(standard.ids()).containsEntry("sendMsgChatAction", "WAWebSendMsgChatAction");
        assertThat(standard.lidMapping()).isTrue();
        assertThat(InPageModules.renamed().ids().values()).doesNotContainAnyElementsOf(standard.ids().values());
        assertThat(standard.withoutLidMapping().lidMapping()).isFalse();
        assertThat(standard.withRegistrationSpread(Duration.ZERO).registrationSpread()).isZero();
    }

    @Test
    void aMissingRoleAnOddIdASharedIdOrANegativeSpreadIsRefusedByName() {
        Map<String, String> ids = new LinkedHashMap<>(InPageModules.standard().ids());
        ids.remove("msgKey");
        assertThatThrownBy(() -> new InPageModules(ids, true, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("roles");
        ids.put("msgKey", "WAWeb MsgKey");
        assertThatThrownBy(() -> new InPageModules(ids, true, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("msgKey");
        ids.put("msgKey", "WAWebCollections");
        assertThatThrownBy(() -> new InPageModules(ids, true, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("share");
        assertThatThrownBy(() -> InPageModules.standard().withRegistrationSpread(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registrationSpread");
    }
}
