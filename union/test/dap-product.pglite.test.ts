import { freshPgliteDb } from '../../aggregator/test-support/databases.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { dapProductSuite } from './suites/dap-product-suite.ts';

dapProductSuite(freshPglite, freshPgliteDb);
