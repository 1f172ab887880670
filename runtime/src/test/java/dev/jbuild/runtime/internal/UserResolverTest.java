package dev.jbuild.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jbuild.runtime.ContainerException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UserResolverTest {
    private static final Optional<List<String>> PASSWD = Optional.of(List.of(
            "root:x:0:0:root:/root:/bin/sh",
            "# comment",
            "app:x:1000:1001:app:/home/app:/bin/sh",
            "nohome:x:1002:1002::::"));
    private static final Optional<List<String>> GROUP = Optional.of(List.of(
            "root:x:0:", "appgroup:x:1001:", "wheel:x:10:app,other", "docker:x:999:app"));

    @Test
    void nameResolvesIdsHomeAndMemberships() {
        var user = UserResolver.resolve("app", PASSWD, GROUP);
        assertEquals(new UserResolver.ResolvedUser(1000, 1001, List.of(1001, 10, 999), "/home/app"), user);
    }

    @Test
    void numericUidFoundInPasswdUsesItsEntry() {
        assertEquals(1001, UserResolver.resolve("1000", PASSWD, GROUP).gid());
    }

    @Test
    void numericUidNotInPasswdGetsGroupZeroAndHomeSlash() {
        assertEquals(new UserResolver.ResolvedUser(4242, 0, List.of(0), "/"), UserResolver.resolve("4242", PASSWD, GROUP));
    }

    @Test
    void explicitGroupByNameOrNumber() {
        assertEquals(10, UserResolver.resolve("app:wheel", PASSWD, GROUP).gid());
        assertEquals(77, UserResolver.resolve("0:77", PASSWD, GROUP).gid());
    }

    @Test
    void emptyHomeBecomesSlash() {
        assertEquals("/", UserResolver.resolve("nohome", PASSWD, GROUP).home());
    }

    @Test
    void missingNamesAreClearErrors() {
        assertEquals("unable to find user ghost: no matching entries in passwd file",
                assertThrows(ContainerException.class, () -> UserResolver.resolve("ghost", PASSWD, GROUP)).getMessage());
        assertEquals("unable to find group staff: no matching entries in group file",
                assertThrows(ContainerException.class, () -> UserResolver.resolve("app:staff", PASSWD, GROUP)).getMessage());
        assertEquals("unable to find user app: no matching entries in passwd file",
                assertThrows(ContainerException.class, () -> UserResolver.resolve("app", Optional.empty(), Optional.empty())).getMessage());
    }
}
