import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Hosts of a test's own, one Linux network namespace each (issue 16, "separate hosts"): every
 * host has a WAN link, a veth pair whose other end is on one bridge in this namespace, and
 * addresses of our own in 10.231.N.0/24. N names the links too, and a run claims it by creating
 * its bridge, which fails when another run holds that N, so two runs never meet. The bridge
 * also has an address, so this test process reaches every host over the WAN. A host may also
 * get an office link, a second veth straight to this namespace in 10.232.N.0/24, which stays
 * up when its WAN link is cut: the officials' browsers on the state's own premises. No host
 * has a route beyond its own links.
 */
export interface TestHost {
  readonly name: string;
  /** The namespace, for `ip netns exec`. */
  readonly namespace: string;
  /** Its address on the WAN. */
  readonly address: string;
  /** Its address on the office link, if it has one. */
  readonly officeAddress?: string;
}

/** Why this process cannot make network namespaces, or undefined when it can. */
export function networkNamespacesMissing(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces are Linux only';
  if (process.getuid?.() !== 0) return 'making network namespaces needs root';
  if (spawnSync('ip', ['-V']).status !== 0) return 'the ip command (Debian: apt-get install iproute2)';
  const probe = `ehprobe${process.pid % 100_000}`;
  const added = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (added.status !== 0) return `ip netns add failed: ${added.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

/** Values of N a run may take: 10.231.N.0/24 and 10.232.N.0/24 for N in 1…250. */
const NETWORKS = 250;

export class TestNetwork {
  readonly hosts = new Map<string, TestHost>();
  private id = 0;
  private readonly wanLinks = new Map<string, string>();
  private readonly namespaces: string[] = [];
  private bridgeMade = false;

  private get prefix(): string {
    return `eh${this.id}`;
  }

  private get bridge(): string {
    return `${this.prefix}br`;
  }

  /** The address this test process has on the WAN (the bridge's). */
  get ownAddress(): string {
    return `10.231.${this.id}.254`;
  }

  /** Makes the bridge and one namespace per name; `office` names the hosts with an office link. */
  create(names: readonly string[], office: readonly string[] = []): void {
    // Start from the process id, so that concurrent runs seldom try the same N first.
    for (let tries = 0; tries < NETWORKS && !this.bridgeMade; tries++) {
      this.id = ((process.pid + tries) % NETWORKS) + 1;
      this.bridgeMade = spawnSync('ip', ['link', 'add', this.bridge, 'type', 'bridge']).status === 0;
    }
    if (!this.bridgeMade) throw new Error(`no free test network: eh1br…eh${NETWORKS}br are all taken`);
    ip('addr', 'add', `${this.ownAddress}/24`, 'dev', this.bridge);
    ip('link', 'set', this.bridge, 'up');
    names.forEach((name, position) => {
      const namespace = `${this.prefix}-${name}`;
      ip('netns', 'add', namespace);
      this.namespaces.push(namespace);
      ip('-n', namespace, 'link', 'set', 'lo', 'up');
      const address = `10.231.${this.id}.${position + 1}`;
      const outside = `${this.prefix}w${position}`;
      this.link(namespace, outside, `${address}/24`);
      ip('link', 'set', outside, 'master', this.bridge);
      ip('link', 'set', outside, 'up');
      this.wanLinks.set(name, outside);
      let officeAddress: string | undefined;
      if (office.includes(name)) {
        // A /30 per host: .4k+1 here, .4k+2 in the host.
        officeAddress = `10.232.${this.id}.${4 * position + 2}`;
        const near = `${this.prefix}o${position}`;
        this.link(namespace, near, `${officeAddress}/30`);
        ip('addr', 'add', `10.232.${this.id}.${4 * position + 1}/30`, 'dev', near);
        ip('link', 'set', near, 'up');
      }
      this.hosts.set(name, { name, namespace, address, ...(officeAddress ? { officeAddress } : {}) });
    });
  }

  /** A veth pair: `outside` stays here, its peer (`outside` + "i") moves into `namespace` with `cidr`. */
  private link(namespace: string, outside: string, cidr: string): void {
    const inside = `${outside}i`;
    ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside);
    ip('link', 'set', inside, 'netns', namespace);
    ip('-n', namespace, 'addr', 'add', cidr, 'dev', inside);
    ip('-n', namespace, 'link', 'set', inside, 'up');
  }

  /** The command prefix that runs a program on a host. */
  on(name: string): string[] {
    return ['ip', 'netns', 'exec', this.host(name).namespace];
  }

  host(name: string): TestHost {
    const host = this.hosts.get(name);
    if (!host) throw new Error(`no test host ${name}`);
    return host;
  }

  /** Cuts a host's WAN link (its office link, if any, stays up). */
  cut(name: string): void {
    ip('link', 'set', this.wanLinks.get(name)!, 'down');
  }

  restore(name: string): void {
    ip('link', 'set', this.wanLinks.get(name)!, 'up');
  }

  /** Removes every namespace and link it made; safe to call twice or after a failed create. */
  destroy(): void {
    for (const namespace of this.namespaces.splice(0)) spawnSync('ip', ['netns', 'del', namespace]);
    // Deleting a namespace deletes the veth ends inside it, and with them their peers here.
    if (this.bridgeMade) spawnSync('ip', ['link', 'del', this.bridge]);
    this.bridgeMade = false;
  }
}
