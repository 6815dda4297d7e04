import type Docker from 'dockerode';
import type { ContainerSummary, ManagedObject } from './engine.js';
import { statusOf } from './docker-api.js';
import { call, type DockerContext } from './docker-call.js';
import { mapContainerSummary, mapListedContainer, mapManagedContainer, mapManagedNetwork, mapManagedVolume } from './map-docker.js';

// The DockerEngine calls on what surrounds a container: volumes, networks, images, and the listings gc and drift read.

export async function createVolume(ctx: DockerContext, name: string, labels: Readonly<Record<string, string>>): Promise<void> {
  await call(ctx, 'volume create', () => ctx.docker.createVolume({ Name: name, Labels: { ...labels } }));
}

export async function volumeExists(ctx: DockerContext, name: string): Promise<boolean> {
  return call(ctx, 'volume inspect', async () => {
    try {
      await ctx.docker.getVolume(name).inspect();
      return true;
    } catch (e) {
      if (statusOf(e) === 404) return false;
      throw e;
    }
  });
}

export async function removeVolume(ctx: DockerContext, name: string): Promise<void> {
  await call(ctx, 'volume remove', async () => {
    try {
      await ctx.docker.getVolume(name).remove();
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
  });
}

export async function removeNetwork(ctx: DockerContext, id: string): Promise<void> {
  await call(ctx, 'network remove', async () => {
    try {
      await ctx.docker.getNetwork(id).remove();
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
  });
}

export async function listImages(ctx: DockerContext, labelFilter: readonly string[]): Promise<{ id: string; tags: string[]; createdAt: Date }[]> {
  return call(ctx, 'image list', async () =>
    (await ctx.docker.listImages({ filters: { label: [...labelFilter] } })).map((i) => ({ id: i.Id, tags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'), createdAt: new Date(i.Created * 1000) })),
  );
}

export async function removeImage(ctx: DockerContext, id: string): Promise<'removed' | 'in-use'> {
  return call(ctx, 'image remove', async () => {
    try {
      await ctx.docker.getImage(id).remove({ force: false });
      return 'removed' as const;
    } catch (e) {
      if (statusOf(e) === 404) return 'removed' as const;
      if (statusOf(e) === 409) return 'in-use' as const;
      throw e;
    }
  });
}

export async function listManaged(ctx: DockerContext, labelFilter: readonly string[]): Promise<ManagedObject[]> {
  return call(ctx, 'list', async () => {
    const filters = { label: [...labelFilter] };
    const containers = await ctx.docker.listContainers({ all: true, filters });
    const vols = await ctx.docker.listVolumes({ filters });
    const networks = await ctx.docker.listNetworks({ filters });
    return [
      ...containers.map(mapManagedContainer),
      ...(vols.Volumes ?? []).map((v) => mapManagedVolume(v as Docker.VolumeInspectInfo & { CreatedAt?: string })),
      ...networks.map(mapManagedNetwork),
    ];
  });
}

export async function findContainer(ctx: DockerContext, ref: string): Promise<ContainerSummary | undefined> {
  return call(ctx, 'inspect', async () => {
    try {
      return mapContainerSummary(await ctx.docker.getContainer(ref).inspect());
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  });
}

export async function listContainers(ctx: DockerContext): Promise<ContainerSummary[]> {
  return call(ctx, 'list', async () => (await ctx.docker.listContainers({ all: false })).map(mapListedContainer));
}
