package dev.wasched.spring.boot.internal;

import dev.wasched.Wasched;
import dev.wasched.account.Account;
import dev.wasched.account.AccountService;
import dev.wasched.account.AccountSpec;
import dev.wasched.account.DuplicateAccountException;
import dev.wasched.account.UnknownAccountException;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.spring.boot.WaschedProperties;
import java.util.Map;
import java.util.Objects;

/**
 * Brings the account registry in line with {@code wasched.accounts.*}: a missing account is added, a removed one
 * restored, one whose kind, settings or pacing differ updated. Accounts not declared are left alone: they may have
 * been added at run time, on this instance or another.
 */
public final class DeclaredAccounts {
    private DeclaredAccounts() {
    }

    public static void register(Wasched wasched, WaschedProperties properties) {
        PacingPolicy shared = WaschedFactory.pacing(properties.getPacing(), PacingPolicy.DEFAULT);
        for (Map.Entry<String, WaschedProperties.Account> e : properties.getAccounts().entrySet()) {
            WaschedProperties.Account a = e.getValue();
            AccountSpec spec = AccountSpec.builder(e.getKey()).kind(a.getKind()).settings(a.getSettings())
                    .pacing(WaschedFactory.isSet(a.getPacing()) ? WaschedFactory.pacing(a.getPacing(), shared) : null)
                    .build();
            apply(wasched.accounts(), spec);
        }
    }

    private static void apply(AccountService accounts, AccountSpec spec) {
        Account existing;
        try {
            existing = accounts.get(spec.name());
        } catch (UnknownAccountException e) {
            existing = null;
        }
        if (existing == null || !existing.live()) {
            try {
                accounts.add(spec);
                return;
            } catch (DuplicateAccountException e) {
                // another instance sharing the store added it meanwhile: make it match the declaration
                existing = accounts.get(spec.name());
            }
        }
        if (!existing.kind().equals(spec.kind()) || !existing.settings().equals(spec.settings())
                || !Objects.equals(existing.pacing(), spec.pacing())) {
            accounts.update(spec);
        }
    }
}
