package io.stratusmail.mailbox.address;

import io.stratusmail.mailbox.user.Username;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The answer of {@link RecipientResolver#resolve}: who receives mail sent to an address, or why nobody does. */
public sealed interface Resolution {

    /** The address that was resolved (as asked, normalised to lower case). */
    Username address();

    /**
     * Mail for {@code address} goes to {@code user}: into its INBOX, or, for a subaddress (RFC 5233
     * {@code user+detail@domain}), into the mailbox the detail names when the user has one.
     *
     * @param chain  the addresses followed, from {@code address} to {@code user} (one element when the address is
     *               the user itself; a subaddress is followed by its address without the detail)
     * @param detail the RFC 5233 detail (lower case, as the address; possibly empty) when {@code address} was
     *               resolved as a subaddress, else empty
     */
    record Account(Username address, Username user, List<Username> chain, Optional<String> detail)
            implements Resolution {
        public Account {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(user, "user");
            chain = List.copyOf(chain);
            Objects.requireNonNull(detail, "detail");
        }

        /** An account reached without subaddressing. */
        public Account(Username address, Username user, List<Username> chain) {
            this(address, user, chain, Optional.empty());
        }
    }

    /** No user and no alias has this address (LMTP {@code 550 5.1.1}). */
    record UnknownUser(Username address) implements Resolution {
        public UnknownUser {
            Objects.requireNonNull(address, "address");
        }
    }

    /** The address's domain is not a local domain (LMTP {@code 550 5.1.2}, RFC 3463 "bad destination system"). */
    record UnknownDomain(Username address, Domain domain) implements Resolution {
        public UnknownDomain {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(domain, "domain");
        }
    }

    /**
     * The aliases lead back to an address already followed, or on for more than {@link RecipientResolver#MAX_HOPS}
     * hops (LMTP {@code 550 5.4.6}, RFC 3463 "routing loop detected").
     *
     * @param chain the addresses followed, ending with the repeated one (or the one past the hop limit)
     */
    record Loop(Username address, List<Username> chain) implements Resolution {
        public Loop {
            Objects.requireNonNull(address, "address");
            chain = List.copyOf(chain);
        }

        /** The chain as {@code a -> b -> a}, for messages. */
        public String describe() {
            return String.join(" -> ", chain.stream().map(Username::value).toList());
        }
    }
}
