-- The model version each batch was scored with, for pipelines that use a model. A pipeline starts
-- with the model of its newest committed batch, so a batch replayed after a crash is scored by the
-- model that scored the batches before it, whatever was trained since; switching is explicit
-- (`./sluice run reviews --model VERSION`) and shows here from the first batch it scores.
ALTER TABLE pipeline_batches ADD COLUMN model text;
