import type { LensesView } from '../view';
import { connectorHealthView } from './connectorHealth';
import { consumerLagView } from './consumerLag';
import { sqlResultsView } from './sqlResults';
import { topicOverviewView } from './topicOverview';

/** Every view the server offers, one per kind of answer. */
export const LENSES_VIEWS: readonly LensesView[] = [consumerLagView, topicOverviewView, sqlResultsView, connectorHealthView];
