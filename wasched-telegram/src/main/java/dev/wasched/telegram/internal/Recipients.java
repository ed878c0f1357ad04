package dev.wasched.telegram.internal;

import dev.wasched.delivery.Recipient;

final class Recipients {
    private Recipients() {
    }

    static String describe(Recipient r) {
        return r.kind() == Recipient.Kind.GROUP ? "group " + Texts.line(r.address(), 60) : r.address();
    }
}
