import * as fs from 'fs';
import * as path from 'path';
import { App, Names } from 'cdk8s';
import { reachabilityReport } from '../src';
import { isApplicationsChart } from '../src/argocd/applications-chart';

/**
 * Writes `<outdir>/<chart>.reachability.md` for every chart of `app`, beside its
 * `<chart>.k8s.yaml`: the flows its NetworkPolicies allow and a Mermaid diagram, so a reviewer
 * sees who can talk to whom without reading YAML. Returns the files written.
 */
export function writeReachabilityReports(app: App, outdir: string = app.outdir): string[] {
  fs.mkdirSync(outdir, { recursive: true });
  // the ArgoCD Applications' chart holds no workload: no report
  return app.charts.filter(chart => !isApplicationsChart(chart)).map(chart => {
    const file = path.join(outdir, `${Names.toDnsLabel(chart)}.reachability.md`);
    fs.writeFileSync(file, reachabilityReport(chart).markdown);
    return file;
  });
}
