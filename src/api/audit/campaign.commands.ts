import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AuthenticatedUser } from '../auth/user';
import { CampaignRequest, Campaigns } from './campaigns';

type Answer<K extends 'run' | 'revert'> = Awaited<ReturnType<Campaigns[K]>>;

/** A correction campaign, or its dry run. */
export class RunCampaign extends Command<Answer<'run'>> {
  constructor(
    readonly user: AuthenticatedUser,
    readonly authorization: string,
    readonly schoolId: string,
    readonly campaign: CampaignRequest,
  ) {
    super();
  }
}

/** The campaign that undoes a committed one, or its dry run. */
export class RevertCampaign extends Command<Answer<'revert'>> {
  constructor(
    readonly user: AuthenticatedUser,
    readonly authorization: string,
    readonly schoolId: string,
    readonly correlationId: string,
    readonly request: { readonly reason: string; readonly dryRun: boolean },
  ) {
    super();
  }
}

@CommandHandler(RunCampaign)
export class RunCampaignHandler implements ICommandHandler<RunCampaign> {
  constructor(@Inject(Campaigns) private readonly campaigns: Campaigns) {}
  execute(c: RunCampaign) {
    return this.campaigns.run(c.user, c.authorization, c.schoolId, c.campaign);
  }
}

@CommandHandler(RevertCampaign)
export class RevertCampaignHandler implements ICommandHandler<RevertCampaign> {
  constructor(@Inject(Campaigns) private readonly campaigns: Campaigns) {}
  execute(c: RevertCampaign) {
    return this.campaigns.revert(c.user, c.authorization, c.schoolId, c.correlationId, c.request);
  }
}

export const campaignHandlers = [RunCampaignHandler, RevertCampaignHandler];
