package io.github.istiosecurity;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.github.istiosecurity.check.PolicyCheck;
import io.github.istiosecurity.internal.authz.explain.PolicyExplainer;
import io.github.istiosecurity.internal.authz.match.IpBlock;
import io.github.istiosecurity.internal.authz.match.PathTemplate;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package layering of "How it works" in the README, checked on the main classes'
 * bytecode: dependencies point down the pipeline model → load → compile → decide → adapt,
 * the engine stays plain Java, and nothing but the auto-configuration knows the
 * auto-configuration. An exception is named in its rule, with the reason.
 */
@AnalyzeClasses(packages = "io.github.istiosecurity", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	private static final String MODEL = "io.github.istiosecurity.model..";

	private static final String LOAD = "io.github.istiosecurity.internal.load..";

	private static final String AUTHZ_API = "io.github.istiosecurity.authz..";

	private static final String ENGINE = "io.github.istiosecurity.internal.authz..";

	private static final String MATCH = "io.github.istiosecurity.internal.authz.match..";

	private static final String JWT = "io.github.istiosecurity.internal.jwt..";

	private static final String AUTOCONFIGURE = "io.github.istiosecurity.autoconfigure..";

	/** Servlet, reactive and Spring Web types, and our own adapters over them. */
	private static final String[] WEB = { "jakarta.servlet..", "org.springframework.web..",
			"org.springframework.http..", "org.springframework.security.web..", "reactor..", "io.netty..",
			"org.apache.catalina..", "org.eclipse.jetty..", "io.github.istiosecurity.web..",
			"io.github.istiosecurity.internal.web.." };

	@ArchTest
	static final ArchRule modelDependsOnNothingElse = classes().that()
		.resideInAPackage(MODEL)
		.should()
		.onlyDependOnClassesThat()
		.resideInAnyPackage(MODEL, "java..", "org.jspecify..")
		.because("the model is Istio's three kinds as the YAML spells them: no Spring, no YAML, nothing of ours");

	@ArchTest
	static final ArchRule loadDependsOnlyOnTheModel = noClasses().that()
		.resideInAPackage(LOAD)
		.should()
		.dependOnClassesThat(resideInAPackage("io.github.istiosecurity..").and(not(resideInAnyPackage(LOAD, MODEL)))
			// Exception: validation runs the compiler's own parsers of path templates and
			// IP blocks, so that
			// what is accepted and what is compiled are one grammar; both are leaves that
			// know only the
			// authz API's value types.
			.and(not(equivalentTo(PathTemplate.class)))
			.and(not(equivalentTo(IpBlock.class))))
		.because("loading turns YAML into the model and knows nothing later in the pipeline");

	@ArchTest
	static final ArchRule matchLeavesKnowOnlyTheApiValues = noClasses().that()
		.resideInAPackage(MATCH)
		.should()
		.dependOnClassesThat(
				resideInAPackage("io.github.istiosecurity..").and(not(resideInAnyPackage(MATCH, AUTHZ_API))))
		.because("the matchers are leaves: loading validates with them and the engine runs them");

	@ArchTest
	static final ArchRule authzApiExposesNoImplementation = noClasses().that()
		.resideInAPackage(AUTHZ_API)
		.should()
		.dependOnClassesThat()
		.resideInAPackage("io.github.istiosecurity.internal..")
		.because("the decision API is what applications implement and read; it must not leak the implementation");

	@ArchTest
	static final ArchRule engineHasNoWebTypes = noClasses().that()
		.resideInAPackage(ENGINE)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(WEB)
		.because("one engine decides for both stacks and for checks; adapters read requests into RequestAttributes");

	@ArchTest
	static final ArchRule engineHasNoYaml = noClasses().that()
		.resideInAPackage(ENGINE)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.yaml..", LOAD)
		.because("the engine compiles and decides on the model; parsing YAML is the loader's");

	@ArchTest
	static final ArchRule engineHasNoSpringSecurity = noClasses().that()
		.resideInAPackage(ENGINE)
		.should()
		.dependOnClassesThat()
		.resideInAPackage("org.springframework.security..")
		.because("Spring Security is an adapter's concern; the engine is plain Java");

	@ArchTest
	static final ArchRule engineHasNoJwtLibrary = noClasses().that()
		.resideInAPackage(ENGINE)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("com.nimbusds..", JWT)
		.because("tokens are verified before the engine; it reads the verified claims through RequestAttributes");

	@ArchTest
	static final ArchRule jwtHasNoWebTypes = noClasses().that()
		.resideInAPackage(JWT)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(WEB)
		.because("RequestAuthentication works on header, parameter and cookie values that both stacks hand it");

	@ArchTest
	static final ArchRule onlyTheAutoConfigurationKnowsTheAutoConfiguration = noClasses().that()
		.resideOutsideOfPackage(AUTOCONFIGURE)
		.should()
		.dependOnClassesThat()
		.resideInAPackage(AUTOCONFIGURE)
		.because("the auto-configuration wires the packages together; nothing it wires may depend on it");

	@ArchTest
	static final ArchRule noCyclesBetweenPackages = slices().matching("io.github.istiosecurity.(**)")
		.should()
		.beFreeOfCycles()
		// Exception: PolicyCheck is the API's entry point over the explainer, whose
		// results are the API's
		// records (PolicyEvaluation, RuleEvaluation) in the same package: entry point and
		// results are one API.
		.ignoreDependency(PolicyCheck.class, PolicyExplainer.class);

}
