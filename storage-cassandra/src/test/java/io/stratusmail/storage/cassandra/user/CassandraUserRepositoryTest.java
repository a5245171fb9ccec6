package io.stratusmail.storage.cassandra.user;

import static io.stratusmail.storage.cassandra.CassandraFixture.failure;
import static io.stratusmail.storage.cassandra.CassandraFixture.join;
import static io.stratusmail.storage.cassandra.CassandraFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.mailbox.user.UserRepository;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CassandraUserRepositoryTest {

    private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
    private static CqlSession session;
    private static UserRepository users;

    @BeforeAll
    static void start() {
        session = CassandraFixture.openSession();
        users = CassandraFixture.store(session, CassandraFixture.config("it_users")).users();
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @Test
    void storedHashIsReadBackAndReplacedByPut() {
        Username alice = new Username("alice-" + unique() + "@example.org");

        join(users.put(alice, HASH));
        assertThat(join(users.passwordHash(alice))).contains(HASH);
        assertThat(join(users.exists(alice))).isTrue();

        join(users.put(alice, HASH + "2"));
        assertThat(join(users.passwordHash(alice))).contains(HASH + "2");
    }

    @Test
    void unknownUserHasNoHash() {
        Username nobody = new Username("nobody-" + unique() + "@example.org");

        assertThat(join(users.passwordHash(nobody))).isEmpty();
        assertThat(join(users.exists(nobody))).isFalse();
    }

    @Test
    void mixedCaseLoginFindsTheLowerCaseAccount() {
        String local = "bob-" + unique();
        join(users.put(Username.of(local + "@Example.ORG"), HASH));

        assertThat(join(users.passwordHash(Username.of(local.toUpperCase() + "@example.org")))).contains(HASH);
    }

    @Test
    void listReturnsEveryUserSortedByName() {
        String tag = unique();
        Username c = new Username("list-" + tag + "-c@example.org");
        Username a = new Username("list-" + tag + "-a@example.org");
        Username b = new Username("list-" + tag + "-b@example.org");
        join(users.put(c, HASH));
        join(users.put(a, HASH));
        join(users.put(b, HASH));

        assertThat(join(users.list()))
                .isSortedAccordingTo((x, y) -> x.value().compareTo(y.value()))
                .containsSubsequence(a, b, c);
    }

    @Test
    void deleteRemovesTheAccountAndReportsWhetherItExisted() {
        Username carol = new Username("carol-" + unique() + "@example.org");
        join(users.put(carol, HASH));

        assertThat(join(users.delete(carol))).isTrue();
        assertThat(join(users.passwordHash(carol))).isEmpty();
        assertThat(join(users.list())).doesNotContain(carol);
        assertThat(join(users.delete(carol))).isFalse();
    }

    @Test
    void emptyHashIsRefusedAndNothingIsStored() {
        Username dave = new Username("dave-" + unique() + "@example.org");

        assertThat(failure(users.put(dave, ""))).isInstanceOf(IllegalArgumentException.class);
        assertThat(join(users.exists(dave))).isFalse();
    }
}
