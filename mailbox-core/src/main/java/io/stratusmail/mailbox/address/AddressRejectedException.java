package io.stratusmail.mailbox.address;

import java.util.Objects;

/** An administrative change of addresses was refused; {@link #reason()} says why, the message says it for people. */
public class AddressRejectedException extends RuntimeException {

    /** Why a change was refused. */
    public enum Reason {
        /** The alias would make mail go round in a circle, or through more than {@link RecipientResolver#MAX_HOPS} aliases. */
        ALIAS_LOOP,
        /** The alias's target is neither a user nor an alias leading to one. */
        UNKNOWN_TARGET,
        /** The alias's source address is a user (a user takes precedence, so the alias would never apply). */
        SOURCE_IS_USER,
        /** The new user's address is an alias already. */
        ADDRESS_IS_ALIAS,
        /** The domain is not in the (non-empty) list of local domains. */
        DOMAIN_NOT_LOCAL
    }

    private final Reason reason;

    public AddressRejectedException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
