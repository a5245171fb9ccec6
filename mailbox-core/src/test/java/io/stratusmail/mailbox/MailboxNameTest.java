package io.stratusmail.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Mailbox name rules (RFC 3501 sections 5.1, 6.3.3) and hierarchy helpers. */
class MailboxNameTest {

    @Test
    void delimiterAtOddPlacesIsAnEmptyLevel() {
        for (String bad : new String[] {"/a", "a/", "a//b", "/", "//"}) {
            assertThatThrownBy(() -> new MailboxName(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("mailbox name has an empty hierarchy level");
        }
    }

    @Test
    void listWildcardsAreRefused() {
        assertThatThrownBy(() -> new MailboxName("Lists/*"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("mailbox name contains the LIST wildcard '*'");
        assertThatThrownBy(() -> new MailboxName("100%"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("mailbox name contains the LIST wildcard '%'");
    }

    @Test
    void lengthAndDepthAreLimited() {
        assertThat(new MailboxName("x".repeat(255)).value()).hasSize(255);
        assertThatThrownBy(() -> new MailboxName("x".repeat(256)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("mailbox name must be 1 to 255 characters");
        assertThatThrownBy(() -> new MailboxName(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("mailbox name must be 1 to 255 characters");
        String deepest = "l/".repeat(31) + "l";
        assertThat(new MailboxName(deepest).depth()).isEqualTo(32);
        assertThatThrownBy(() -> new MailboxName(deepest + "/l"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mailbox name has more than 32 hierarchy levels");
        assertThatThrownBy(() -> new MailboxName("a\tb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("mailbox name contains a control character");
    }

    @Test
    void createArgumentMayEndWithTheDelimiter() {
        assertThat(MailboxName.forCreate("owatagusiam/")).isEqualTo(new MailboxName("owatagusiam"));
        assertThat(MailboxName.forCreate("a/b")).isEqualTo(new MailboxName("a/b"));
        assertThatThrownBy(() -> MailboxName.forCreate("/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MailboxName.forCreate("a//")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hierarchyHelpers() {
        MailboxName n = new MailboxName("inbox/Lists/java");
        assertThat(n.value()).isEqualTo("INBOX/Lists/java");
        assertThat(n.parent()).contains(new MailboxName("INBOX/Lists"));
        assertThat(new MailboxName("Top").parent()).isEmpty();
        assertThat(n.ancestors()).containsExactly(new MailboxName("INBOX"), new MailboxName("INBOX/Lists"));
        assertThat(n.isDescendantOf(new MailboxName("INBOX"))).isTrue();
        assertThat(new MailboxName("ab").isDescendantOf(new MailboxName("a"))).isFalse();
        assertThat(n.isDescendantOf(n)).isFalse();
        assertThat(n.rebase(new MailboxName("INBOX/Lists"), new MailboxName("Archive")))
                .isEqualTo(new MailboxName("Archive/java"));
        assertThatThrownBy(() -> new MailboxName("ab").rebase(new MailboxName("a"), new MailboxName("b")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void specialUseAttributesParseCaseInsensitively() {
        assertThat(SpecialUse.fromAttribute("\\sent")).isEqualTo(SpecialUse.SENT);
        assertThat(SpecialUse.fromAttribute("\\Archive").attribute()).isEqualTo("\\Archive");
        assertThatThrownBy(() -> SpecialUse.fromAttribute("\\Important"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\\Important");
    }
}
