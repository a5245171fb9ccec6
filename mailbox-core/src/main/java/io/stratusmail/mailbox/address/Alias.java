package io.stratusmail.mailbox.address;

import io.stratusmail.mailbox.user.Username;
import java.util.Objects;

/**
 * A rule that delivers mail for one address, or for a whole domain, to another address.
 *
 * <p>Written in administration as {@code SOURCE TARGET}: {@code sales@example.com alice@example.com} (an
 * {@link AddressAlias}) or {@code @old.example @new.example} (a {@link DomainAlias}). A target may itself be an
 * alias; {@link RecipientResolver} follows at most {@link RecipientResolver#MAX_HOPS} of them.
 */
public sealed interface Alias {

    /** The source as written in administration: {@code local@domain} or {@code @domain}. */
    String sourceText();

    /** The target as written in administration: an address or {@code @domain}. */
    String targetText();

    /**
     * Mail for {@code source} goes to {@code target} (a user or another alias).
     *
     * @param source an address with a domain ({@code local@domain}), never a bare local part
     * @param target where the mail goes
     */
    record AddressAlias(Username source, Username target) implements Alias {
        public AddressAlias {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
            if (Domain.ofAddress(source).isEmpty()) {
                throw new IllegalArgumentException("an alias address needs a domain (local@domain): " + source);
            }
        }

        @Override
        public String sourceText() {
            return source.value();
        }

        @Override
        public String targetText() {
            return target.value();
        }
    }

    /**
     * Mail for any {@code local@source} goes to {@code local@target}, the same local part in the other domain
     * (resolved again there). A user or an address alias of the source domain takes precedence.
     */
    record DomainAlias(Domain source, Domain target) implements Alias {
        public DomainAlias {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
        }

        @Override
        public String sourceText() {
            return "@" + source.value();
        }

        @Override
        public String targetText() {
            return "@" + target.value();
        }
    }

    /**
     * Parses the administration form: {@code @domain @domain} for a whole-domain alias, otherwise
     * {@code local@domain address}.
     *
     * @throws IllegalArgumentException when either side is malformed (the message names the side and the problem)
     */
    static Alias parse(String source, String target) {
        String s = source.trim();
        String t = target.trim();
        if (s.startsWith("@")) {
            if (!t.startsWith("@")) {
                throw new IllegalArgumentException("a whole-domain alias maps @domain to @domain, not to " + t);
            }
            return new DomainAlias(side("alias", s.substring(1), Domain::of), side("target", t.substring(1), Domain::of));
        }
        if (t.startsWith("@")) {
            throw new IllegalArgumentException("only a whole-domain alias (@domain) can target @domain");
        }
        return new AddressAlias(side("alias", s, Username::of), side("target", t, Username::of));
    }

    private static <T> T side(String which, String text, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + which + " '" + text + "': " + e.getMessage(), e);
        }
    }
}
