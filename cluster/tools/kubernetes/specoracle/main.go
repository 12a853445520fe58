// Command specoracle judges Kubernetes objects the way a v1.34 cluster would, without a cluster:
// the API server's own decoding (with defaulting), create strategy and validation, then the
// checks the kubelet makes before a pod can ever run (image reference, names of referenced
// Secrets, ConfigMaps and claims, resources a device plugin can advertise, named probe ports).
//
// The differential test (test/integration/specOracle.test.ts) sends it the objects the
// extension renders for each value of its corpus and compares the verdicts with the spec
// checker's. Input and output are JSON lines:
//
//	in:  {"id": "...", "objects": [ {apiVersion, kind, ...}, ... ], "envNames": "strict"?}
//	out: {"id": "...", "ok": true|false, "reasons": ["Deployment iris-r1: ...", ...]}
//
// "envNames": "strict" also applies the environment variable name rule of clusters before
// v1.32 (the relaxed rule is GA in v1.34 and cannot be switched off there).
//
// A case whose text holds a decimal exponent of five or more digits runs in a child process
// with a deadline and a memory limit: the quantity parser of the API server does not return
// on some of them (e.g. 1e2147483648), and the verdict for the client is a refusal either way.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/registry/rest"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	"k8s.io/kubernetes/pkg/apis/apps"
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	_ "k8s.io/kubernetes/pkg/apis/autoscaling/install"
	"k8s.io/kubernetes/pkg/apis/core"
	"k8s.io/kubernetes/pkg/apis/core/helper"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	v1helper "k8s.io/kubernetes/pkg/apis/core/v1/helper"
	apivalidation "k8s.io/kubernetes/pkg/apis/core/validation"
	"k8s.io/kubernetes/pkg/registry/apps/deployment"
	"k8s.io/kubernetes/pkg/registry/autoscaling/horizontalpodautoscaler"
	"k8s.io/kubernetes/pkg/registry/core/configmap"
	"k8s.io/kubernetes/pkg/registry/core/service"
	"k8s.io/kubernetes/pkg/util/parsers"
)

type request struct {
	ID       string            `json:"id"`
	Objects  []json.RawMessage `json:"objects"`
	EnvNames string            `json:"envNames,omitempty"`
}

type verdict struct {
	ID      string   `json:"id"`
	OK      bool     `json:"ok"`
	Reasons []string `json:"reasons,omitempty"`
}

// A decimal exponent this long may keep the quantity parser busy for minutes or for ever.
var riskyExponent = regexp.MustCompile(`[0-9.][eE][+-]?[0-9]{5,}`)

const childDeadline = 2 * time.Second

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-one" {
		// Child mode: one case, with at most 1 GiB of heap.
		limit := uint64(1 << 30)
		_ = syscall.Setrlimit(syscall.RLIMIT_DATA, &syscall.Rlimit{Cur: limit, Max: limit})
		line, _ := bufio.NewReader(os.Stdin).ReadBytes('\n')
		write(os.Stdout, judgeLine(line))
		return
	}
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for {
		line, err := in.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			if riskyExponent.Match(line) {
				write(out, judgeInChild(line))
			} else {
				write(out, judgeLine(line))
			}
		}
		if err != nil {
			return
		}
	}
}

func write(w interface{ Write([]byte) (int, error) }, v verdict) {
	data, _ := json.Marshal(v)
	_, _ = w.Write(append(data, '\n'))
}

func judgeInChild(line []byte) verdict {
	var req request
	_ = json.Unmarshal(line, &req)
	ctx, cancel := context.WithTimeout(context.Background(), childDeadline)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-one")
	cmd.Stdin = bytes.NewReader(line)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	err := cmd.Run()
	if ctx.Err() != nil {
		return verdict{ID: req.ID, OK: false, Reasons: []string{fmt.Sprintf("API server: decoding did not finish within %s (the quantity parser does not return on this value)", childDeadline)}}
	}
	if err != nil {
		return verdict{ID: req.ID, OK: false, Reasons: []string{fmt.Sprintf("API server: decoding failed: %v (the quantity parser ran out of memory)", err)}}
	}
	var v verdict
	if json.Unmarshal(stdout.Bytes(), &v) != nil {
		return verdict{ID: req.ID, OK: false, Reasons: []string{"oracle: the child gave no verdict"}}
	}
	return v
}

func judgeLine(line []byte) verdict {
	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		return verdict{ID: "", OK: false, Reasons: []string{"oracle: unreadable request: " + err.Error()}}
	}
	v := verdict{ID: req.ID, OK: true}
	for _, raw := range req.Objects {
		for _, reason := range judgeObject(raw, req.EnvNames == "strict") {
			v.OK = false
			v.Reasons = append(v.Reasons, reason)
		}
	}
	if len(req.Objects) == 0 {
		v.OK = false
		v.Reasons = append(v.Reasons, "oracle: no objects")
	}
	return v
}

// judgeObject runs what the API server runs on a create: decode (with defaulting and conversion
// to the internal version), the resource's create strategy with its validation, then the
// kubelet's own checks for workloads.
func judgeObject(raw json.RawMessage, strictEnvNames bool) (reasons []string) {
	obj, gvk, err := legacyscheme.Codecs.UniversalDecoder().Decode(raw, nil, nil)
	if err != nil {
		return []string{"API server: cannot decode: " + err.Error()}
	}
	accessor, err := metaAccessor(obj)
	if err != nil {
		return []string{"oracle: " + err.Error()}
	}
	label := fmt.Sprintf("%s %s", gvk.Kind, accessor.GetName())
	rest.FillObjectMetaSystemFields(accessor)
	ctx := genericapirequest.WithNamespace(genericapirequest.NewContext(), accessor.GetNamespace())
	var strategy rest.RESTCreateStrategy
	switch gvk.Kind {
	case "ConfigMap":
		strategy = configmap.Strategy
	case "Deployment":
		strategy = deployment.Strategy
	case "Service":
		strategy = service.Strategy
	case "HorizontalPodAutoscaler":
		strategy = horizontalpodautoscaler.Strategy
	default:
		return []string{fmt.Sprintf("oracle: %s is not a kind this oracle judges", gvk.Kind)}
	}
	if err := rest.BeforeCreate(strategy, ctx, obj); err != nil {
		reasons = append(reasons, fmt.Sprintf("API server: %s: %v", label, err))
	}
	if d, ok := obj.(*apps.Deployment); ok {
		for _, reason := range kubeletChecks(&d.Spec.Template.Spec, strictEnvNames) {
			reasons = append(reasons, fmt.Sprintf("kubelet: %s: %s", label, reason))
		}
	}
	return reasons
}

func metaAccessor(obj interface{}) (metav1.Object, error) {
	if o, ok := obj.(metav1.Object); ok {
		return o, nil
	}
	return nil, errors.New("decoded object has no metadata")
}

// kubeletChecks: what a valid pod must also satisfy to ever run.
func kubeletChecks(spec *core.PodSpec, strictEnvNames bool) []string {
	var reasons []string
	for _, c := range spec.Containers {
		// The kubelet's image manager refuses what it cannot parse: InvalidImageName.
		if _, _, _, err := parsers.ParseImageName(c.Image); err != nil {
			reasons = append(reasons, "InvalidImageName: "+err.Error())
		}
		// Device plugins can only register extended resource names; a native-looking name
		// with a domain (e.g. in kubernetes.io) is never advertised by any node.
		for name := range c.Resources.Limits {
			if strings.Contains(string(name), "/") && !helper.IsNativeResource(name) && !v1helper.IsExtendedResourceName(v1.ResourceName(name)) {
				reasons = append(reasons, fmt.Sprintf("resource %q cannot be advertised by a device plugin", name))
			}
			if strings.Contains(string(name), "/") && helper.IsNativeResource(name) {
				reasons = append(reasons, fmt.Sprintf("resource %q is in the kubernetes.io domain, which no device plugin may advertise", name))
			}
		}
		if p := c.ReadinessProbe; p != nil {
			var port *string
			if p.HTTPGet != nil && p.HTTPGet.Port.Type == intstr.String {
				s := p.HTTPGet.Port.StrVal
				port = &s
			}
			if p.TCPSocket != nil && p.TCPSocket.Port.Type == intstr.String {
				s := p.TCPSocket.Port.StrVal
				port = &s
			}
			if port != nil && !hasPortNamed(c.Ports, *port) {
				reasons = append(reasons, fmt.Sprintf("readiness probe port %q names no port of the container, so the probe never succeeds", *port))
			}
		}
		if strictEnvNames {
			for _, e := range c.Env {
				for _, msg := range validation.IsEnvVarName(e.Name) {
					reasons = append(reasons, fmt.Sprintf("env name %q (clusters before v1.32): %s", e.Name, msg))
				}
			}
		}
	}
	// Objects a pod mounts must be able to exist under that name.
	for _, vol := range spec.Volumes {
		switch {
		case vol.Secret != nil:
			for _, msg := range apivalidation.ValidateSecretName(vol.Secret.SecretName, false) {
				reasons = append(reasons, fmt.Sprintf("volume %q: no Secret can be named %q: %s", vol.Name, vol.Secret.SecretName, msg))
			}
		case vol.ConfigMap != nil:
			for _, msg := range apivalidation.ValidateConfigMapName(vol.ConfigMap.Name, false) {
				reasons = append(reasons, fmt.Sprintf("volume %q: no ConfigMap can be named %q: %s", vol.Name, vol.ConfigMap.Name, msg))
			}
		case vol.PersistentVolumeClaim != nil:
			for _, msg := range apivalidation.ValidatePersistentVolumeName(vol.PersistentVolumeClaim.ClaimName, false) {
				reasons = append(reasons, fmt.Sprintf("volume %q: no PersistentVolumeClaim can be named %q: %s", vol.Name, vol.PersistentVolumeClaim.ClaimName, msg))
			}
		}
	}
	return reasons
}

func hasPortNamed(ports []core.ContainerPort, name string) bool {
	for _, p := range ports {
		if p.Name == name {
			return true
		}
	}
	return false
}
