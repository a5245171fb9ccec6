package io.stratusmail.mailbox.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratusmail.mailbox.user.Username;
import org.junit.jupiter.api.Test;

/** What an administrator may type as a domain or an alias, and the messages for what is refused. */
class AliasAndDomainSyntaxTest {

    @Test
    void domainsAreLowerCasedAndChecked() {
        assertThat(Domain.of(" Mail.Example.COM ").value()).isEqualTo("mail.example.com");
        assertThat(Domain.of("localhost").value()).isEqualTo("localhost");
        assertThat(Domain.of("a-b.example")).isEqualTo(Domain.of("A-B.EXAMPLE"));

        assertThatThrownBy(() -> Domain.of("")).hasMessageContaining("1 to 253");
        assertThatThrownBy(() -> Domain.of("bad..example")).hasMessageContaining("label must be 1 to 63");
        assertThatThrownBy(() -> Domain.of("-bad.example")).hasMessageContaining("must not start or end with '-'");
        assertThatThrownBy(() -> Domain.of("bad_domain.example")).hasMessageContaining("forbidden character: '_'");
        assertThatThrownBy(() -> Domain.of("x".repeat(64) + ".example")).hasMessageContaining("label must be 1 to 63");
        assertThatThrownBy(() -> Domain.of(("a".repeat(60) + ".").repeat(5) + "example"))
                .hasMessageContaining("1 to 253");
        assertThatThrownBy(() -> Domain.of("[192.0.2.1]")).hasMessageContaining("forbidden character");
    }

    @Test
    void theDomainAndLocalPartOfAnAddress() {
        assertThat(Domain.ofAddress(Username.of("Alice@Example.com"))).contains(Domain.of("example.com"));
        assertThat(Domain.ofAddress(Username.of("alice"))).isEmpty();
        assertThat(Domain.ofAddress(Username.of("alice@[192.0.2.1]"))).isEmpty();
        assertThat(Domain.localPart(Username.of("Alice@Example.com"))).isEqualTo("alice");
        assertThat(Domain.localPart(Username.of("alice"))).isEqualTo("alice");
    }

    @Test
    void aliasesParseFromTheAdministrationForm() {
        assertThat(Alias.parse("Sales@Example.com", " alice@example.com "))
                .isEqualTo(new Alias.AddressAlias(Username.of("sales@example.com"), Username.of("alice@example.com")));
        Alias domain = Alias.parse("@Old.Example", "@new.example");
        assertThat(domain).isEqualTo(new Alias.DomainAlias(Domain.of("old.example"), Domain.of("new.example")));
        assertThat(domain.sourceText()).isEqualTo("@old.example");
        assertThat(domain.targetText()).isEqualTo("@new.example");
    }

    @Test
    void malformedAliasesNameTheSideAndTheProblem() {
        assertThatThrownBy(() -> Alias.parse("sales", "alice@example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a domain");
        assertThatThrownBy(() -> Alias.parse("sales@example.com", "a b@example.com"))
                .hasMessageStartingWith("invalid target 'a b@example.com'");
        assertThatThrownBy(() -> Alias.parse("a@b@example.com", "alice@example.com"))
                .hasMessageStartingWith("invalid alias 'a@b@example.com'");
        assertThatThrownBy(() -> Alias.parse("@old.example", "alice@example.com"))
                .hasMessageContaining("maps @domain to @domain");
        assertThatThrownBy(() -> Alias.parse("sales@example.com", "@new.example"))
                .hasMessageContaining("only a whole-domain alias");
        assertThatThrownBy(() -> Alias.parse("@bad_domain", "@new.example"))
                .hasMessageStartingWith("invalid alias 'bad_domain'");
    }
}
