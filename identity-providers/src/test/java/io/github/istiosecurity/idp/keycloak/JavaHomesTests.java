package io.github.istiosecurity.idp.keycloak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * How the JDK for Keycloak is recognised, from fake JDK homes (a {@code release} file and
 * a {@code java} launcher).
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "fake launchers are made executable with POSIX permissions")
class JavaHomesTests {

	@TempDir
	Path dir;

	private Path jdk(String name, String version) throws IOException {
		Path home = this.dir.resolve(name);
		Files.createDirectories(home.resolve("bin"));
		Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
		Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
		Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
		return home;
	}

	@Test
	void featureVersionIsReadFromTheReleaseFile() throws IOException {
		assertThat(JavaHomes.featureVersion(jdk("a", "25.0.1"))).contains(25);
		assertThat(JavaHomes.featureVersion(jdk("b", "21"))).contains(21);
		assertThat(JavaHomes.featureVersion(jdk("c", "1.8.0_412"))).contains(8);
		assertThat(JavaHomes.featureVersion(this.dir)).isEmpty();
	}

	@Test
	void explicitHomesAreUsedWhenTheRunningJdkIsTooOld() throws IOException {
		Path jdk25 = jdk("jdk25", "25.0.1");
		// The running JDK comes first when it is new enough; on older ones (17 here) the
		// variables decide.
		Path expected = (Runtime.version().feature() >= 25) ? Path.of(System.getProperty("java.home")) : jdk25;
		assertThat(JavaHomes.find(25, Map.of("KEYCLOAK_JAVA_HOME", jdk25.toString()), this.dir)).isEqualTo(expected);
		assertThat(JavaHomes.find(25, Map.of("JAVA_HOME", jdk25.toString()), this.dir)).isEqualTo(expected);
	}

	@Test
	void noSuitableJdkFailsWithWhatWasLookedAt() throws IOException {
		Path jdk17 = jdk("jdk17", "17.0.15");
		assertThatIllegalStateException()
			.isThrownBy(() -> JavaHomes.find(1000, Map.of("KEYCLOAK_JAVA_HOME", jdk17.toString()), this.dir))
			.withMessageContaining("Keycloak needs a JDK 1000 or newer and none was found")
			.withMessageContaining("KEYCLOAK_JAVA_HOME=" + jdk17 + " (17)")
			.withMessageContaining("set KEYCLOAK_JAVA_HOME");
	}

}
