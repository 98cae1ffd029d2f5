package io.github.istiosecurity.autoconfigure;

import java.util.Map;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.istiosecurity.internal.authz.compile.Workload;
import io.github.istiosecurity.internal.kubernetes.KubernetesPolicySource;
import io.github.istiosecurity.internal.kubernetes.KubernetesWorkloadResolver;
import io.github.istiosecurity.internal.load.PolicyLoader;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Policies from the Kubernetes API, beside the files of
 * {@code istio.security.policy-locations}: the workload (namespace and pod labels) from
 * the cluster unless {@code istio.security.workload.*} is set, and a
 * {@link KubernetesPolicySource} that lists every policy before the runtime's first load
 * (the runtime starts it, in a lifecycle callback rather than while beans are created).
 * On when {@code istio.security.kubernetes.enabled} is true, or unset and the application
 * runs in Kubernetes; needs a fabric8 {@link KubernetesClient} bean
 * (spring-cloud-kubernetes-fabric8-autoconfig provides one).
 */
@AutoConfiguration(before = IstioSecurityAutoConfiguration.class,
		afterName = "org.springframework.cloud.kubernetes.fabric8.Fabric8AutoConfiguration")
@ConditionalOnBooleanProperty(name = "istio.security.enabled", matchIfMissing = true)
@ConditionalOnClass({ KubernetesClient.class, Jwt.class, JwtAuthenticationToken.class })
@Conditional(OnKubernetesPolicySourceCondition.class)
@EnableConfigurationProperties(IstioSecurityProperties.class)
public final class IstioKubernetesAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Workload istioWorkload(KubernetesClient client, IstioSecurityProperties properties, Environment environment) {
		// explicit properties win; their defaults do not
		Binder binder = Binder.get(environment);
		String namespace = binder.bind("istio.security.workload.namespace", String.class).orElse(null);
		Map<String, String> labels = binder
			.bind("istio.security.workload.labels", Bindable.mapOf(String.class, String.class))
			.orElse(null);
		return new KubernetesWorkloadResolver(client, System::getenv).resolve(namespace, labels,
				properties.getKubernetes().getPodName());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	KubernetesPolicySource istioKubernetesPolicySource(KubernetesClient client, PolicyLoader loader, Workload workload,
			IstioSecurityProperties properties) {
		// the policy runtime starts it (waiting for the first list) once the singletons
		// are created
		return new KubernetesPolicySource(client, loader, workload.namespace(), properties.getRootNamespace(),
				properties.getKubernetes().getSyncTimeout());
	}

}
