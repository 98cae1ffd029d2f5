package io.github.istiosecurity.sample.httpbin;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The sample, its code and its tests, is what users copy: it uses the published API only
 * ({@code authz}, {@code check}, {@code model}, {@code web.servlet},
 * {@code web.reactive}, {@code autoconfigure} and the test support), never
 * {@code io.github.istiosecurity.internal}.
 */
@AnalyzeClasses(packages = "io.github.istiosecurity.sample.httpbin")
class ArchitectureTests {

	@ArchTest
	static final ArchRule usesOnlyThePublishedApi = noClasses().should()
		.dependOnClassesThat()
		.resideInAPackage("io.github.istiosecurity.internal..")
		.because("everything under io.github.istiosecurity.internal may change in any release");

}
