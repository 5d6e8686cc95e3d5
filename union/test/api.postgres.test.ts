import { defineApiSuite } from './suites/define-api-suite.ts';

defineApiSuite('postgres');
